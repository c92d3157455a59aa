//! Associated (trusted) authorization servers: which other servers a server accepts tokens
//! from. `POST .../associatedServers` names them as `{"trusted": ["aus…", …]}`.

use crate::error::Error;

/// The servers to trust, from the `trusted` list of a request to server `server_id`: each id
/// once, in the order given. The list must name at least one server, and not the server
/// itself.
pub fn trusted_ids(server_id: &str, requested: Option<&[String]>) -> Result<Vec<String>, Error> {
    let requested = requested.unwrap_or_default();
    if requested.is_empty() {
        return Err(Error::invalid_field(
            "trusted",
            "At least one authorization server is required.",
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(requested.len());
    for id in requested.iter().map(|id| id.trim()) {
        if id.is_empty() {
            return Err(Error::invalid_field(
                "trusted",
                "An authorization server id may not be empty.",
            ));
        }
        if id == server_id {
            return Err(Error::invalid_field(
                "trusted",
                "An authorization server cannot trust itself.",
            ));
        }
        if !out.iter().any(|seen| seen == id) {
            out.push(id.to_owned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn trusted_lists() {
        let ok: [(&[&str], &[&str]); 3] = [
            (&["aus2"], &["aus2"]),
            (&["aus2", "aus3", "aus2"], &["aus2", "aus3"]),
            (&[" aus3 ", "aus2"], &["aus3", "aus2"]),
        ];
        for (given, want) in ok {
            let got = trusted_ids("aus1", Some(&ids(given)));
            assert_eq!(got.ok(), Some(ids(want)), "{given:?}");
        }
        let refused: [Option<&[&str]>; 4] = [None, Some(&[]), Some(&["aus1"]), Some(&["aus2", ""])];
        for given in refused {
            let list = given.map(ids);
            let got = trusted_ids("aus1", list.as_deref());
            assert!(
                matches!(got, Err(Error::Invalid { ref summary, .. }) if summary == "trusted"),
                "{given:?}: {got:?}"
            );
        }
    }
}
