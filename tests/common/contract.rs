//! The JSON contract every command's `--json` keeps (docs/json.md): checked, then unwrapped.

use serde_json::Value;

/// The envelope on stdout, checked: schema, the command, `status` equal to the exit code, a
/// `warnings` array, and either a `result` or an `error` with kind, message and fix.
pub fn envelope(stdout: &[u8], code: Option<i32>) -> Value {
    let text = String::from_utf8_lossy(stdout);
    assert_eq!(text.lines().count(), 1, "one line of JSON:\n{text}");
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    assert_eq!(value["schema"], "eca-wizard/1", "{value}");
    assert!(value["command"].is_string(), "{value}");
    assert_eq!(value["status"].as_i64(), code.map(i64::from), "{value}");
    assert!(value["warnings"].is_array(), "{value}");
    match value.get("error") {
        Some(error) => {
            assert!(value.get("result").is_none(), "{value}");
            assert_ne!(code, Some(0), "an error with exit 0: {value}");
            assert!(
                error["kind"].as_str().is_some_and(|k| !k.is_empty()),
                "{value}"
            );
            assert!(
                error["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{value}"
            );
            assert!(error.get("fix").is_some(), "{value}");
        }
        None => assert!(value.get("result").is_some(), "{value}"),
    }
    value
}

/// The `result` of a command's envelope.
pub fn result(stdout: &[u8], code: Option<i32>) -> Value {
    let value = envelope(stdout, code);
    assert!(value.get("error").is_none(), "an error: {value}");
    value["result"].clone()
}
