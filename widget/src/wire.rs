//! The widget's own answer read by hand (its config); core's wire types are read by
//! `edgedesk_core::wire`, shared with the portal, without serde's derived deserializers (they
//! were the largest part of the widget).

use edgedesk_core::widget::WidgetConfig;
pub use edgedesk_core::wire::*;
use serde_json::Value;

/// `GET /api/v1/orgs/{org}/widget`.
pub fn widget_config(value: &Value) -> Option<WidgetConfig> {
    let obj = value.as_object()?;
    Some(WidgetConfig {
        org: required(obj, "org", org_public)?,
        locale: required(obj, "locale", string)?,
        dir: required(obj, "dir", string)?,
        form_token: required(obj, "form_token", string)?,
        texts: required(obj, "texts", strings)?,
        messages: required(obj, "messages", strings)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgedesk_core::json::parse;
    use edgedesk_core::wire::testing::{self, strategies};

    /// The reader and serde's derive agree (both accept, with the same value, or both refuse).
    fn agree<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        read: fn(&Value) -> Option<T>,
        text: &str,
    ) {
        let by_serde = serde_json::from_str::<T>(text).ok();
        let by_hand = parse(text).as_ref().and_then(read);
        assert_eq!(by_hand, by_serde, "{text}");
    }

    proptest::proptest! {
        /// On every configuration serde writes, and on its JSON damaged (core's
        /// `wire::testing`), the reader and serde's derive agree.
        #[test]
        fn configurations_read_like_serde(
            value in strategies::widget_config(),
            edits in testing::edits(),
        ) {
            testing::reads_back_and_agrees_after(widget_config, &value, &edits);
        }
    }

    #[test]
    fn forms_read_like_serde_reads_them() {
        for text in [
            r#"{"fields": [{"key": "system", "type": "select", "label": {"en": "System"},
                "required": true, "options": [{"value": "crm", "label": {"en": "CRM"}}]},
               {"key": "n", "type": "number", "label": {"en": "N"}, "min": 1, "max": 2.5,
                "step": null, "min_length": 3, "default": 2,
                "visible_when": {"field": "system", "equals": "crm"}}]}"#,
            r#"{}"#,
            r#"{"fields": [{"key": "x", "surprise": 1}]}"#,
            r#"{"fields": [{"key": "x", "min_length": 2.0}]}"#,
            r#"{"fields": [{"key": "x", "min_length": -1}]}"#,
            r#"{"fields": [{"key": "x", "required": null}]}"#,
            r#"{"fields": [{"key": "x", "visible_when": {"field": "y"}}]}"#,
            r#"{"fields": [{"key": "x", "visible_when": {"field": "y", "equals": null}}]}"#,
            r#"{"fields": [{"key": "x", "label": {"en": 1}}]}"#,
            r#"{"fields": null}"#,
        ] {
            agree(form_schema_input, text);
        }
    }

    #[test]
    fn drafts_and_config_read_like_serde_reads_them() {
        for text in [
            r#"{"requester_name": "Dana", "answers": {"a": ["x"], "b": true},
                "catalog_item": null, "widget": {"form_token": "1.ab", "context": {"k": "v"}}}"#,
            r#"{"subject": "x", "widget": {"context": {"k": 1}}}"#,
            r#"{"sbject": "x"}"#,
        ] {
            agree(new_request_input, text);
        }
        for text in [
            r#"{"org": {"slug": "acme", "name": "Acme", "default_locale": "en"}, "locale": "he",
                "dir": "rtl", "form_token": "t", "texts": {"submit": "Send"}, "messages": {},
                "extra": 1}"#,
            r#"{"org": {"slug": "acme", "name": "Acme"}, "locale": "he", "dir": "rtl",
                "form_token": "t", "texts": {}, "messages": {}}"#,
        ] {
            agree(widget_config, text);
        }
    }
}
