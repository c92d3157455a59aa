use super::decide::{needs_app_name, needs_user_groups};
use super::*;

/// Expected reach of each role over [`Family::ALL`], in that order, for untargeted calls:
/// `-` nothing, `r` read only, `w` read and write.
const TABLE: [(RoleType, &str); 9] = [
    //                                 UsGrRuApAsScLoOrSeTrRoTkIdUn
    (RoleType::SuperAdmin, /*      */ "wwwwwwwwwwwwww"),
    (RoleType::OrgAdmin, /*        */ "wwwwrwwwwwrrw-"),
    (RoleType::AppAdmin, /*        */ "rr-w-r--------"),
    (RoleType::UserAdmin, /*       */ "wwr--r--------"),
    (RoleType::GroupMembershipAdmin, "rr------------"),
    (RoleType::HelpDeskAdmin, /*   */ "rr------------"),
    (RoleType::ReadOnlyAdmin, /*   */ "rrrrrrrrrrr-r-"),
    (RoleType::ApiAccessManagementAdmin, "rr-rw---------"),
    (RoleType::ReportAdmin, /*     */ "------r-------"),
];

fn call(family: Family, access: Access) -> Action {
    Action::new(family, access, Target::None)
}

#[test]
fn every_role_against_every_family_read_and_write() {
    for (role, row) in TABLE {
        let row: Vec<char> = row.chars().collect();
        assert_eq!(row.len(), Family::ALL.len(), "{role:?}");
        for (family, want) in Family::ALL.into_iter().zip(row) {
            let grants = [Grant::plain(role)];
            let read = permits(&grants, &call(family, Access::Read), &Facts::default());
            let write = permits(&grants, &call(family, Access::Write), &Facts::default());
            let got = match (read, write) {
                (true, true) => 'w',
                (true, false) => 'r',
                (false, false) => '-',
                (false, true) => '?',
            };
            assert_eq!(got, want, "{role:?} on {family:?}");
        }
    }
}

#[test]
fn no_role_no_access_and_me_needs_some_role() {
    let me = Action::new(Family::Users, Access::Read, Target::Me);
    assert!(!permits(
        &[],
        &call(Family::Users, Access::Read),
        &Facts::default()
    ));
    assert!(!permits(&[], &me, &Facts::default()));
    let report = [Grant::plain(RoleType::ReportAdmin)];
    assert!(permits(&report, &me, &Facts::default()));
    let revoke = Action::new(Family::ApiTokens, Access::Write, Target::Me);
    assert!(permits(&report, &revoke, &Facts::default()));
}

fn targeted(role: RoleType, groups: &[&str]) -> Vec<Grant> {
    vec![Grant {
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        ..Grant::plain(role)
    }]
}

#[test]
fn group_targets_narrow_writes_not_reads() {
    let grants = targeted(RoleType::UserAdmin, &["g1"]);
    let in_g1 = vec!["g1".to_owned()];
    let in_g2 = vec!["g2".to_owned()];
    let user = Action::new(Family::Users, Access::Write, Target::User("u".into()));
    assert!(needs_user_groups(&grants, &user));
    let facts = |groups: &[String]| {
        permits(
            &grants,
            &user,
            &Facts {
                user_groups: Some(groups),
                app_name: None,
            },
        )
    };
    assert!(facts(&in_g1));
    assert!(!facts(&in_g2));
    assert!(!permits(&grants, &user, &Facts::default()));
    let group = |id: &str| Action::new(Family::Groups, Access::Write, Target::Group(id.into()));
    assert!(permits(&grants, &group("g1"), &Facts::default()));
    assert!(!permits(&grants, &group("g2"), &Facts::default()));
    // Creating is not within any target.
    assert!(!permits(
        &grants,
        &call(Family::Users, Access::Write),
        &Facts::default()
    ));
    // Reads are not narrowed.
    let read = Action::new(Family::Users, Access::Read, Target::User("u".into()));
    assert!(permits(&grants, &read, &Facts::default()));
    assert!(!needs_user_groups(&grants, &read));
    // Untargeted, the same role writes anywhere.
    let plain = [Grant::plain(RoleType::UserAdmin)];
    assert!(permits(&plain, &user, &Facts::default()));
    assert!(!needs_user_groups(&plain, &user));
}

#[test]
fn membership_and_help_desk_writes() {
    let member = Action {
        op: Op::Membership,
        ..Action::new(Family::Groups, Access::Write, Target::Group("g1".into()))
    };
    let rename = Action::new(Family::Groups, Access::Write, Target::Group("g1".into()));
    let gma = targeted(RoleType::GroupMembershipAdmin, &["g1"]);
    assert!(permits(&gma, &member, &Facts::default()));
    assert!(!permits(&gma, &rename, &Facts::default()));
    let other = Action {
        target: Target::Group("g2".into()),
        ..member.clone()
    };
    assert!(!permits(&gma, &other, &Facts::default()));
    let reset = Action {
        op: Op::HelpDesk,
        ..Action::new(Family::Users, Access::Write, Target::User("u".into()))
    };
    let help = [Grant::plain(RoleType::HelpDeskAdmin)];
    assert!(permits(&help, &reset, &Facts::default()));
    let edit = Action::new(Family::Users, Access::Write, Target::User("u".into()));
    assert!(!permits(&help, &edit, &Facts::default()));
}

#[test]
fn app_targets_by_catalog_name_or_instance() {
    let grants = vec![Grant {
        apps: vec![
            AppTarget {
                name: "oidc_client".into(),
                id: None,
            },
            AppTarget {
                name: "bookmark".into(),
                id: Some("0oa2".into()),
            },
        ],
        ..Grant::plain(RoleType::AppAdmin)
    }];
    let app = |id: &str| Action::new(Family::Apps, Access::Write, Target::App(id.into()));
    assert!(needs_app_name(&grants, &app("0oa1")));
    let oidc = Facts {
        user_groups: None,
        app_name: Some("oidc_client"),
    };
    let saml = Facts {
        user_groups: None,
        app_name: Some("saml"),
    };
    assert!(permits(&grants, &app("0oa1"), &oidc));
    assert!(!permits(&grants, &app("0oa1"), &saml));
    assert!(permits(&grants, &app("0oa2"), &saml));
}

#[test]
fn roles_combine() {
    let grants = [
        Grant::plain(RoleType::ReportAdmin),
        Grant::plain(RoleType::AppAdmin),
    ];
    assert!(permits(
        &grants,
        &call(Family::Logs, Access::Read),
        &Facts::default()
    ));
    assert!(permits(
        &grants,
        &call(Family::Apps, Access::Write),
        &Facts::default()
    ));
    assert!(!permits(
        &grants,
        &call(Family::Org, Access::Read),
        &Facts::default()
    ));
}

#[test]
fn assignment_ids_are_okta_s() {
    assert_eq!(RoleType::UserAdmin.assignment_id(), "KVJUKUS7IFCE2SKO");
    assert_eq!(RoleType::AppAdmin.assignment_id(), "IFIFAX2BIRGUSTQ");
    for role in RoleType::ALL {
        assert_eq!(
            RoleType::from_assignment_id(&role.assignment_id()),
            Some(role)
        );
        assert_eq!(RoleType::parse(role.as_str()), Some(role));
    }
    assert_eq!(RoleType::parse("CUSTOM"), None);
}

#[test]
fn classification_of_routes() {
    let params = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    };
    let c =
        |m: &str, t: &str, p: &'static [(&'static str, &'static str)]| classify(m, t, params(p));
    let id = &[("id", "u1")];
    assert_eq!(
        c("GET", "/api/v1/users", &[]),
        Action::new(Family::Users, Access::Read, Target::None)
    );
    assert_eq!(
        c("GET", "/api/v1/users/{id}", &[("id", "me")]),
        Action::new(Family::Users, Access::Read, Target::Me)
    );
    assert_eq!(
        c("POST", "/api/v1/users/{id}", id),
        Action::new(Family::Users, Access::Write, Target::User("u1".into()))
    );
    let reset = c(
        "POST",
        "/api/v1/users/{id}/lifecycle/{op}",
        &[("id", "u1"), ("op", "reset_password")],
    );
    assert_eq!(reset.op, Op::HelpDesk);
    let deactivate = c(
        "POST",
        "/api/v1/users/{id}/lifecycle/{op}",
        &[("id", "u1"), ("op", "deactivate")],
    );
    assert_eq!(deactivate.op, Op::Other);
    let ops: [(&'static [(&str, &str)], Op); 5] = [
        (&[("id", "u1"), ("op", "reset_factors")], Op::HelpDesk),
        (&[("id", "u1"), ("op", "expire_password")], Op::HelpDesk),
        (
            &[("id", "u1"), ("op", "expire_password_with_temp_password")],
            Op::HelpDesk,
        ),
        (&[("id", "u1"), ("op", "unlock")], Op::HelpDesk),
        (&[("id", "u1"), ("op", "suspend")], Op::Other),
    ];
    for (params, want) in ops {
        let got = c("POST", "/api/v1/users/{id}/lifecycle/{op}", params);
        assert_eq!(got.op, want, "{params:?}");
    }
    for route in [
        "/api/v1/users/{id}/credentials/change_password",
        "/api/v1/users/{id}/credentials/change_recovery_question",
        "/api/v1/users/{id}/credentials/forgot_password",
        "/api/v1/users/{id}/credentials/forgot_password_recovery_question",
    ] {
        assert_eq!(
            c("POST", route, id),
            Action::new(Family::Users, Access::Write, Target::User("u1".into())),
            "{route}"
        );
    }
    // A user's blocks and identity providers are read on the user, not the IdP family.
    for route in ["/api/v1/users/{id}/blocks", "/api/v1/users/{id}/idps"] {
        assert_eq!(
            c("GET", route, id),
            Action::new(Family::Users, Access::Read, Target::User("u1".into())),
            "{route}"
        );
    }
    // A user's notification subscriptions: read and written on the user, never help-desk.
    let sub = &[("id", "u1"), ("notificationType", "OKTA_UPDATE")];
    let subscriptions = [
        ("GET", "/api/v1/users/{id}/subscriptions", Access::Read),
        (
            "GET",
            "/api/v1/users/{id}/subscriptions/{notificationType}",
            Access::Read,
        ),
        (
            "POST",
            "/api/v1/users/{id}/subscriptions/{notificationType}/subscribe",
            Access::Write,
        ),
        (
            "POST",
            "/api/v1/users/{id}/subscriptions/{notificationType}/unsubscribe",
            Access::Write,
        ),
    ];
    for (method, route, access) in subscriptions {
        assert_eq!(
            c(method, route, sub),
            Action::new(Family::Users, access, Target::User("u1".into())),
            "{route}"
        );
    }
    assert_eq!(
        c("DELETE", "/api/v1/users/{id}/sessions", id).op,
        Op::HelpDesk
    );
    assert_eq!(
        c("POST", "/api/v1/users/{id}/roles", id).family,
        Family::Roles
    );
    assert_eq!(
        c("GET", "/api/v1/groups/{id}/roles", id).family,
        Family::Roles
    );
    assert_eq!(
        c("POST", "/api/v1/groups/rules", &[]).family,
        Family::GroupRules
    );
    let add = c(
        "PUT",
        "/api/v1/groups/{id}/users/{user_id}",
        &[("id", "g1"), ("user_id", "u1")],
    );
    assert_eq!(
        (add.op, add.target),
        (Op::Membership, Target::Group("g1".into()))
    );
    assert_eq!(
        c("PUT", "/api/v1/apps/{id}", &[("id", "a1")]).target,
        Target::App("a1".into())
    );
    let metadata = c(
        "GET",
        "/api/v1/apps/{id}/sso/saml/metadata",
        &[("id", "a1")],
    );
    assert_eq!(
        (metadata.family, metadata.access, metadata.target),
        (Family::Apps, Access::Read, Target::App("a1".into()))
    );
    assert_eq!(
        c("POST", "/api/v1/authorizationServers/{id}/tokenPreview", id).access,
        Access::Read
    );
    // The org authorization server's preview (reserved id `org`) is classified the same way.
    let org = c(
        "POST",
        "/api/v1/authorizationServers/{id}/tokenPreview",
        &[("id", "org")],
    );
    assert_eq!(
        (org.family, org.access, org.target),
        (Family::AuthorizationServers, Access::Read, Target::None)
    );
    let assoc = &[("id", "aus1"), ("associated_id", "aus2")];
    for (m, route, access) in [
        (
            "GET",
            "/api/v1/authorizationServers/{id}/associatedServers",
            Access::Read,
        ),
        (
            "POST",
            "/api/v1/authorizationServers/{id}/associatedServers",
            Access::Write,
        ),
        (
            "DELETE",
            "/api/v1/authorizationServers/{id}/associatedServers/{associated_id}",
            Access::Write,
        ),
    ] {
        assert_eq!(
            c(m, route, assoc),
            Action::new(Family::AuthorizationServers, access, Target::None),
            "{m} {route}"
        );
    }
    assert_eq!(
        c("POST", "/api/v1/meta/schemas/user/default", &[]).family,
        Family::Schemas
    );
    assert_eq!(
        c("DELETE", "/api/v1/api-tokens/current", &[]).target,
        Target::Me
    );
    assert_eq!(c("GET", "/api/v1/newThing", &[]).family, Family::Unknown);
}

#[test]
fn app_logo_and_policy_routes() {
    const APP: &[(&str, &str)] = &[("id", "0oa1"), ("policy_id", "rst1")];
    let param = |name: &str| APP.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let app_write = Action::new(Family::Apps, Access::Write, Target::App("0oa1".into()));
    let unknown_read = Action::new(Family::Unknown, Access::Read, Target::None);
    // Org policies have no family of their own yet: only a super admin reaches them.
    let rows = [
        ("POST", "/api/v1/apps/{id}/logo", &app_write),
        ("PUT", "/api/v1/apps/{id}/policies/{policy_id}", &app_write),
        ("GET", "/api/v1/policies", &unknown_read),
        ("GET", "/api/v1/policies/{id}", &unknown_read),
    ];
    for (m, route, want) in rows {
        assert_eq!(&classify(m, route, param), want, "{m} {route}");
    }
}
