//! The URL policy: credentials only ever travel over https, or plain http to this machine,
//! and a URL is never echoed with the password someone put in it.

use reqwest::Url;

use crate::error::{Error, Result};

/// Checks a URL given as `--api-url`, `--auth-url` or in a profile, returning it without a
/// trailing slash.
pub(crate) fn checked_url(what: &str, text: &str) -> Result<String> {
    let shown = shown_url(text);
    let url = Url::parse(text).map_err(|e| {
        Error::usage(format!("{what} '{shown}' is not a valid URL: {e}"))
            .hint("give a full URL such as https://api.zsapi.net")
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::usage(format!(
            "{what} must not carry credentials; use the environment variables instead"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::usage(format!(
            "{what} '{shown}' must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::usage(format!(
                "{what} '{shown}' uses plain http to a host that is not loopback"
            ))
            .hint("use https://, so credentials never cross a network in clear text"));
        }
        other => {
            return Err(Error::usage(format!(
                "{what} '{shown}' has scheme '{other}'; use https://"
            )));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// `text` with any `user:password@` before the host replaced, so that even a URL that does
/// not parse is never echoed with its credentials.
pub(crate) fn shown_url(text: &str) -> String {
    let (scheme, rest) = match text.find("://") {
        Some(i) => (&text[..i + 3], &text[i + 3..]),
        None => ("", text),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => text.to_owned(),
    }
}

/// 127.0.0.0/8, `localhost` and `[::1]`: the hosts plain http and no proxy are right for.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    #[test]
    fn urls_are_https_or_loopback() {
        for ok in [
            "https://api.example.com/",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(checked_url("--api-url", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "ftp://x",
            "not a url",
            "https://u:p@h",
            "http://10.0.0.1",
        ] {
            assert_eq!(
                checked_url("--api-url", bad).err().unwrap().kind,
                Kind::Usage,
                "{bad}"
            );
        }
        assert_eq!(checked_url("x", "https://h/a/").unwrap(), "https://h/a");
    }

    #[test]
    fn credentials_in_urls_are_never_echoed() {
        assert_eq!(
            shown_url("https://admin:hunter2@exa mple.com/x"),
            "https://***@exa mple.com/x"
        );
        assert_eq!(shown_url("u:p@host:99999"), "***@host:99999");
        assert_eq!(shown_url("https://h/a@b"), "https://h/a@b");
        for bad in [
            "https://admin:hunter2@exa mple.com",
            "http://u:hunter2@10.0.0.1:99999",
            "ftp://u:hunter2@h",
        ] {
            let e = checked_url("--api-url", bad).err().unwrap();
            assert!(!e.message.contains("hunter2"), "{}", e.message);
        }
    }
}
