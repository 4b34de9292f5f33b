//! `cargo xtask openapi`: writes `worker/openapi.json` from its hand-written template
//! (`worker/openapi/template.json`: paths, parameters, responses, security, and the schemas of
//! no single wire type) and the schemas core's wire types derive.

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use crate::project::Project;

/// The hand-written part.
pub const TEMPLATE: &str = "worker/openapi/template.json";
/// What the worker serves (compiled in).
pub const DOCUMENT: &str = "worker/openapi.json";

/// The document as it should be now: the template with the wire types' schemas added.
pub fn generate(project: &Project) -> Result<String> {
    let path = project.path(TEMPLATE);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut document: Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {TEMPLATE}"))?;
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        bail!("{TEMPLATE} has no components.schemas object");
    };
    for (name, schema) in edgedesk_core::schema::components() {
        // One source per schema: a hand-written copy of a derived one would drift from it.
        if schemas.insert(name.clone(), schema).is_some() {
            bail!("{TEMPLATE} also writes schema {name}, which a wire type derives");
        }
    }
    schemas.sort_keys();
    let mut out = serde_json::to_string_pretty(&document).context("serialising the document")?;
    out.push('\n');
    Ok(out)
}

/// Writes the document.
pub fn run(project: &Project) -> Result<()> {
    let document = generate(project)?;
    let path = project.path(DOCUMENT);
    std::fs::write(&path, document).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("xtask: wrote {DOCUMENT}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn project() -> Project {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives in the checkout")
            .to_path_buf();
        Project { root }
    }

    /// The worker serves the checked-in file: it must be exactly what the template and the wire
    /// types make now, so a field added to a wire type reaches the document (or this fails).
    #[test]
    fn the_checked_in_document_is_the_generated_one() {
        let project = project();
        let generated = generate(&project).expect("generates");
        let checked_in =
            std::fs::read_to_string(project.path(DOCUMENT)).expect("reads worker/openapi.json");
        assert!(
            checked_in == generated,
            "{DOCUMENT} is not what its template and core's wire types make: run cargo xtask openapi"
        );
    }
}
