//! Which of a recipe's callbacks to confirm before they are deployed: a local recipe is a file
//! someone shared, so a callback that sends sign-ins anywhere but this machine or the domain of
//! the guide the recipe cites (its `source` URL) is shown and asked about first. Built-in
//! recipes are reviewed with the code.

use crate::recipe::Recipe;
use crate::salesforce::callback::is_loopback_url;

/// The callbacks among `callbacks` to confirm for `recipe`, in order.
pub fn callbacks_to_confirm(recipe: &Recipe, callbacks: &[String]) -> Vec<String> {
    if recipe.origin.is_none() {
        return Vec::new();
    }
    let vendor_host = host(&recipe.source);
    let vendor = vendor_host.as_deref().map(registrable_domain);
    callbacks
        .iter()
        .filter(|url| !is_loopback_url(url))
        .filter(|url| {
            let within = match (host(url).as_deref(), vendor) {
                (Some(host), Some(domain)) if url.starts_with("https://") => {
                    host == domain || host.ends_with(&format!(".{domain}"))
                }
                _ => false,
            };
            !within
        })
        .cloned()
        .collect()
}

/// The vendor's domain as the recipe names it: its `source` URL's host, for the question.
pub fn vendor_domain(recipe: &Recipe) -> Option<String> {
    host(&recipe.source).map(|h| registrable_domain(&h).to_string())
}

/// The host of an absolute URL, as the URL parser reads it (userinfo, ports and `[::1]` handled
/// as a browser would), lower case.
fn host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    parsed.host_str().map(str::to_ascii_lowercase)
}

/// The last two labels of a host (`app.n8n.cloud` -> `n8n.cloud`); three when the second-last
/// is a short public suffix part such as `co.uk` or `com.au`.
fn registrable_domain(host: &str) -> &str {
    let labels: Vec<&str> = host.split('.').collect();
    let keep = match labels.as_slice() {
        [.., second, last] if second.len() <= 3 && last.len() == 2 && labels.len() > 2 => 3,
        _ => 2,
    };
    let start = labels.len().saturating_sub(keep);
    let skip: usize = labels[..start].iter().map(|l| l.len() + 1).sum();
    &host[skip.min(host.len())..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable_domain("app.n8n.cloud"), "n8n.cloud");
        assert_eq!(registrable_domain("example.com"), "example.com");
        assert_eq!(registrable_domain("auth.vendor.co.uk"), "vendor.co.uk");
        assert_eq!(host("https://a.b.com:8443/x?y").as_deref(), Some("a.b.com"));
        assert_eq!(
            host("https://User@Evil.Example:1/x").as_deref(),
            Some("evil.example")
        );
        assert_eq!(host("http://[::1]:7717/cb").as_deref(), Some("[::1]"));
        assert_eq!(host("not a url"), None);
    }
}
