//! Plain HTTP sent to the HTTPS port gets a short `400` saying to use `https://`, instead of a
//! TLS alert that clients show as garbage ("HTTP/0.9"). A TLS connection opens with a handshake
//! record (byte 0x16); an HTTP/1 request opens with the uppercase letter of its method.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::Duration;

use axum_server::accept::Accept;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a new connection may take to send its first byte.
const FIRST_BYTE_TIMEOUT: Duration = Duration::from_secs(10);

const ANSWER: &[u8] = b"HTTP/1.1 400 Bad Request\r\n\
content-type: text/plain; charset=utf-8\r\n\
content-length: 56\r\n\
connection: close\r\n\
\r\n\
This port speaks HTTPS: use https:// instead of http://\n";

/// The acceptor that answers plain HTTP before the TLS handshake; TLS connections pass through.
#[derive(Clone, Copy, Debug, Default)]
pub struct RefusePlainHttp;

impl<S: Send + 'static> Accept<TcpStream, S> for RefusePlainHttp {
    type Stream = TcpStream;
    type Service = S;
    type Future = Pin<Box<dyn Future<Output = io::Result<(TcpStream, S)>> + Send>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        Box::pin(async move { Ok((pass_tls(stream).await?, service)) })
    }
}

/// The stream, if it opens like TLS; otherwise answers plain HTTP and fails the connection.
async fn pass_tls(mut stream: TcpStream) -> io::Result<TcpStream> {
    let mut first = [0_u8; 1];
    let read = tokio::time::timeout(FIRST_BYTE_TIMEOUT, stream.peek(&mut first))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no TLS handshake"))??;
    if read == 0 || !first.iter().all(u8::is_ascii_uppercase) {
        return Ok(stream);
    }
    // Read what the request sent so far, so closing does not reset the connection before the
    // client has read the answer.
    let mut request = [0_u8; 8192];
    let _ = stream.read(&mut request).await?;
    stream.write_all(ANSWER).await?;
    stream.shutdown().await?;
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "plain HTTP on the HTTPS port",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_declares_its_length() {
        let text = String::from_utf8_lossy(ANSWER);
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{text}"
        );
    }
}
