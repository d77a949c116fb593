//! The recipe's generated DX project as the Metadata API takes it: an mdapi zip in memory
//! (`package.xml` at the root, each file under its type's folder without `-meta.xml`), per
//! reference/deploy-and-mcp-apis.md §B.4.

use std::io::Write;

use crate::metadata::File;

/// The zip of `files` (as `metadata::generate` returns them), deflated.
pub fn mdapi_zip(files: &[File]) -> anyhow::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, contents) in mdapi_paths(files) {
        zip.start_file(path, options)?;
        zip.write_all(contents.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Where each source file goes in the mdapi layout; files that aren't deployed (README,
/// ignore files, sfdx-project.json) are left out.
pub fn mdapi_paths(files: &[File]) -> Vec<(String, &str)> {
    const SOURCE: &str = "force-app/main/default/";
    files
        .iter()
        .filter_map(|f| {
            if f.path == "manifest/package.xml" {
                return Some(("package.xml".to_string(), f.contents.as_str()));
            }
            let source = f.path.strip_prefix(SOURCE)?;
            let mdapi = source.strip_suffix("-meta.xml")?;
            Some((mdapi.to_string(), f.contents.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_files_take_their_mdapi_names() {
        let files = vec![
            File {
                path: "manifest/package.xml".into(),
                contents: "<Package/>".into(),
            },
            File {
                path: "force-app/main/default/externalClientApps/A.eca-meta.xml".into(),
                contents: "<ExternalClientApplication/>".into(),
            },
            File {
                path: "README.md".into(),
                contents: "read me".into(),
            },
        ];
        let paths: Vec<String> = mdapi_paths(&files).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["package.xml", "externalClientApps/A.eca"]);
        let zip = mdapi_zip(&files).unwrap();
        assert!(zip.starts_with(b"PK"));
    }
}
