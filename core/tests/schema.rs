//! The committed JSON Schema of the plan format stays in step with the model.
#![cfg(feature = "schema")]

#[test]
fn committed_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/plan.schema.json");
    let fresh = payplan_core::plan_schema_json();
    if std::env::var_os("PAYPLAN_BLESS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == fresh, "docs/plan.schema.json is stale: run `PAYPLAN_BLESS=1 cargo test -p payplan-core --features schema --test schema`");
}

#[test]
fn schema_names_the_plan_fields() {
    let s: serde_json::Value = serde_json::from_str(&payplan_core::plan_schema_json()).unwrap();
    let props = &s["properties"];
    for key in [
        "payplan",
        "calendar",
        "components",
        "measures",
        "quotas",
        "rounding",
    ] {
        assert!(props.get(key).is_some(), "schema lacks {key}");
    }
}
