//! Vectors made outside this code: the digests with `openssl dgst -binary | base64`, PBKDF2 with
//! `openssl kdf ... PBKDF2` and Python's `hashlib.pbkdf2_hmac`, bcrypt with Python's `bcrypt`
//! package (`hashpw` with `gensalt(rounds=4 or 5)`), all of the password [`RIGHT`] and, where
//! salted, the 12 bytes `c3a91f04e27d5b88a6103f7e` ([`SALT`] in base64).

use serde_json::{Value, json};

use super::{HashObject, ImportedHash, is_imported};
use crate::error::Error;
use crate::password::{Memory, Verdict, verify, verify_in, verify_upgrading_in};
use crate::secret::Secret;

const RIGHT: &str = "Migrated-Pass-1";
const WRONG: &str = "Migrated-Pass-2";
const SALT: &str = "w6kfBOJ9W4imED9+";

fn object(v: Value) -> HashObject {
    serde_json::from_value(v).unwrap()
}

fn digest(algorithm: &str, order: Option<&str>, value: &str) -> Value {
    match order {
        Some(order) => {
            json!({"algorithm": algorithm, "salt": SALT, "saltOrder": order, "value": value})
        }
        None => json!({"algorithm": algorithm, "value": value}),
    }
}

fn bcrypt(work_factor: i64, salt: &str, value: &str) -> Value {
    json!({"algorithm": "BCRYPT", "workFactor": work_factor, "salt": salt, "value": value})
}

fn pbkdf2(digest: &str, key_size: i64, value: &str) -> Value {
    json!({"algorithm": "PBKDF2", "digestAlgorithm": digest, "iterationCount": 4096,
           "keySize": key_size, "salt": SALT, "value": value})
}

/// Every algorithm, unsalted and with both salt orders.
fn vectors() -> Vec<Value> {
    vec![
        digest("MD5", None, "tlH8/sf8apoT0l2TPXoAdQ=="),
        digest("MD5", Some("PREFIX"), "FwoF2d8XQo/A/HtPHr5R8g=="),
        digest("MD5", Some("POSTFIX"), "ZeEYnlypiYV5/Q+nSRQ/uw=="),
        digest("SHA-1", None, "txoPtB6CKXeWbFiHkr5BNCBIkzI="),
        digest("SHA-1", Some("PREFIX"), "j9EgBTYO7E89oqwzKVlwr0/H2Ag="),
        digest("SHA-1", Some("POSTFIX"), "ACj0AqaqWl7PX4vhVn7oFdZ5CnY="),
        digest(
            "SHA-256",
            None,
            "XXvudi3ICPGZqDiC1C3trbQaZoOu8omlqUzGf7flz+o=",
        ),
        digest(
            "SHA-256",
            Some("PREFIX"),
            "yyTDGZieW/aJR46sZrr8U4m5NCGiApVg/ilimdDSSqY=",
        ),
        digest(
            "SHA-256",
            Some("POSTFIX"),
            "+em30JgfJe8MjZM/+VcZ1d1sbQXIHHER9cJFdcNgiKQ=",
        ),
        digest(
            "SHA-512",
            None,
            "kIz6I9MxOtLYikgl7CUkPZsSSjUaoElOfs9nxH76XYWVoMC2sAZkL5alsvmxOiDCW6Il7oyGHH7Oe/3OjsAn9A==",
        ),
        digest(
            "SHA-512",
            Some("PREFIX"),
            "0iNGkB3kDK6tc41YdWkF5rBktMHbqiFS3eZxwzEz864t/Ll/xtYAYCt1AgytoU0P2BlsdJeVb+IhCe4BozGscg==",
        ),
        digest(
            "SHA-512",
            Some("POSTFIX"),
            "68pr70p4WEn7pQ9SaAdnLIfTa1rHNVl0rZNm8GTsrpb7Hc6ecmdJlu0ttnLC53Xj2ZAiU+pMBqQ2i78R90KPoA==",
        ),
        pbkdf2(
            "SHA256_HMAC",
            32,
            "RrvL6jQNvqQy0Usc7H5cqbn9jlCLXGQ4JyOVqeCjbLk=",
        ),
        pbkdf2("SHA256_HMAC", 20, "RrvL6jQNvqQy0Usc7H5cqbn9jlA="),
        pbkdf2(
            "SHA512_HMAC",
            64,
            "vKzjqUpbfREth0VZHUEpxjy82aMDgzvIZ86zCR+GAFL7Ss4p4pp971asCue6lnmU40YJ3E5wdWzsgeNtO46fUg==",
        ),
        // $2b$04$KFLPaZZx26G5kslUNF1IIeG/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO
        bcrypt(
            4,
            "KFLPaZZx26G5kslUNF1IIe",
            "G/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO",
        ),
        // $2b$05$u4MH8ERowfKX8fEcJqGowOP6Akf4OZvi7f0zh8i.qa5IrXbVmjrru
        bcrypt(
            5,
            "u4MH8ERowfKX8fEcJqGowO",
            "P6Akf4OZvi7f0zh8i.qa5IrXbVmjrru",
        ),
        // $2a$04$EP1s7FIetvgjWm6sKJ8mVOiKVwqn.YrgCswGJX5aGulRIR0rQX5Xy
        bcrypt(
            4,
            "EP1s7FIetvgjWm6sKJ8mVO",
            "iKVwqn.YrgCswGJX5aGulRIR0rQX5Xy",
        ),
    ]
}

#[test]
fn each_vector_takes_its_password_only() {
    for v in vectors() {
        let hash = object(v.clone()).check().unwrap();
        assert!(hash.verify(&Secret::new(RIGHT)), "{v}");
        assert!(!hash.verify(&Secret::new(WRONG)), "{v}");
        assert!(!hash.verify(&Secret::new("")), "{v}");
    }
}

#[test]
fn the_salt_order_matters() {
    for v in vectors() {
        let order = match v["saltOrder"].as_str() {
            Some("PREFIX") => "POSTFIX",
            Some(_) => "PREFIX",
            None => continue,
        };
        let mut swapped = v.clone();
        swapped["saltOrder"] = json!(order);
        let hash = object(swapped).check().unwrap();
        assert!(!hash.verify(&Secret::new(RIGHT)), "{v}");
    }
}

#[test]
fn oktas_documented_sha512_example() {
    // Okta's support article on imported hashes: SHA-512 of the password, then the salt.
    let hash = object(json!({
        "algorithm": "SHA-512", "saltOrder": "postfix", "salt": "JipHQUgqQU8qQUwpQUYjUChBSEcjQQ==",
        "value": "Zz6KwLGDm7ospSipwpDmxAjBWHKPLgGh1roGzI267h6txr/ihTI/R4K2eYrpyc0R24qCSF6DRqNl110vZZtj4A=="
    }))
    .check()
    .unwrap();
    assert!(hash.verify(&Secret::new("s3cr3tp@ssw0rd")));
    assert!(!hash.verify(&Secret::new("s3cr3tp@ssw0rD")));
}

#[test]
fn stored_form_is_tagged_and_reads_back() {
    let mut memory = Memory::default();
    for v in vectors() {
        let hash = object(v.clone()).check().unwrap();
        let stored = hash.stored().unwrap();
        assert!(is_imported(&stored) && !stored.starts_with('$'), "{stored}");
        assert_eq!(ImportedHash::from_stored(&stored).as_ref(), Some(&hash));
        assert_eq!(hash.object().check().unwrap(), hash);
        assert!(verify(&Secret::new(RIGHT), &stored), "{v}");
        assert!(verify_in(&mut memory, &Secret::new(RIGHT), &stored), "{v}");
        assert!(!verify_in(&mut memory, &Secret::new(WRONG), &stored), "{v}");
    }
    assert!(!is_imported("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));
    assert!(!verify(&Secret::new(RIGHT), "okta-import:{not json"));
}

#[test]
fn a_right_password_is_upgraded_to_argon2id() {
    let mut memory = Memory::default();
    let stored = object(vectors().remove(0))
        .check()
        .unwrap()
        .stored()
        .unwrap();
    let wrong = verify_upgrading_in(&mut memory, &Secret::new(WRONG), &stored);
    assert_eq!(wrong, Verdict::Wrong);
    let Verdict::RightUpgraded(new) =
        verify_upgrading_in(&mut memory, &Secret::new(RIGHT), &stored)
    else {
        panic!("no upgrade");
    };
    assert!(new.starts_with("$argon2id$"), "{new}");
    let again = verify_upgrading_in(&mut memory, &Secret::new(RIGHT), &new);
    assert_eq!(again, Verdict::Right);
}

/// The fields named by the causes of checking `v`.
fn refused(v: Value) -> Vec<String> {
    match object(v).check() {
        Err(Error::Invalid { causes, .. }) => causes.into_iter().filter_map(|c| c.field).collect(),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn invalid_objects_name_their_field() {
    let cases: Vec<(Value, &[&str])> = vec![
        (json!({"value": "x"}), &["algorithm"]),
        (
            json!({"algorithm": "SHA-384", "value": "x"}),
            &["algorithm"],
        ),
        (json!({"algorithm": "SHA-256"}), &["value"]),
        (
            json!({"algorithm": "SHA-256", "value": "not base64!"}),
            &["value"],
        ),
        (
            json!({"algorithm": "SHA-256", "value": "tlH8/sf8apoT0l2TPXoAdQ=="}),
            &["value"],
        ),
        (
            json!({"algorithm": "MD5", "value": "tlH8/sf8apoT0l2TPXoAdQ==", "salt": SALT}),
            &["saltOrder"],
        ),
        (
            json!({"algorithm": "MD5", "value": "tlH8/sf8apoT0l2TPXoAdQ==", "salt": SALT, "saltOrder": "MIDDLE"}),
            &["saltOrder"],
        ),
        (
            json!({"algorithm": "MD5", "value": "tlH8/sf8apoT0l2TPXoAdQ==", "salt": "***", "saltOrder": "PREFIX"}),
            &["salt"],
        ),
        (
            json!({"algorithm": "BCRYPT"}),
            &["workFactor", "salt", "value"],
        ),
        (
            bcrypt(
                3,
                "KFLPaZZx26G5kslUNF1IIe",
                "G/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO",
            ),
            &["workFactor"],
        ),
        (
            bcrypt(
                21,
                "KFLPaZZx26G5kslUNF1IIe",
                "G/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO",
            ),
            &["workFactor"],
        ),
        (
            bcrypt(
                10,
                "KFLPaZZx26G5kslUNF1II",
                "G/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO",
            ),
            &["salt"],
        ),
        (
            bcrypt(
                10,
                "KFLPaZZx26G5kslUNF1II+",
                "G/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO",
            ),
            &["salt"],
        ),
        // The last character carries bits past the 16 bytes, which must be zero.
        (
            bcrypt(
                10,
                "KFLPaZZx26G5kslUNF1IIf",
                "G/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO",
            ),
            &["salt"],
        ),
        (
            bcrypt(
                10,
                "KFLPaZZx26G5kslUNF1IIe",
                "$2b$04$KFLPaZZx26G5kslUNF1IIeG/K",
            ),
            &["value"],
        ),
        (
            json!({"algorithm": "PBKDF2", "value": SALT}),
            &["digestAlgorithm", "iterationCount", "keySize"],
        ),
        (
            json!({"algorithm": "PBKDF2", "digestAlgorithm": "SHA1_HMAC", "iterationCount": 4096, "keySize": 12, "value": SALT}),
            &["digestAlgorithm"],
        ),
        (
            json!({"algorithm": "PBKDF2", "digestAlgorithm": "SHA256_HMAC", "iterationCount": 4095, "keySize": 12, "value": SALT}),
            &["iterationCount"],
        ),
        (
            json!({"algorithm": "PBKDF2", "digestAlgorithm": "SHA256_HMAC", "iterationCount": 4096, "keySize": 32, "value": SALT}),
            &["value"],
        ),
        (
            json!({"algorithm": "PBKDF2", "digestAlgorithm": "SHA256_HMAC", "iterationCount": 4096, "keySize": 0, "value": SALT}),
            &["keySize"],
        ),
    ];
    for (v, fields) in cases {
        assert_eq!(refused(v.clone()), fields.to_vec(), "{v}");
    }
}
