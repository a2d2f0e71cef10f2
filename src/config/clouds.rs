//! The Zscaler clouds zpakey knows, as data: which hosts each one signs in and is served at.
//! Names follow the SDKs (`ZSCALER_CLOUD` lower case for OneAPI, `ZPA_CLOUD` upper case for
//! the legacy API) and are matched case-insensitively.

/// A OneAPI cloud: its ZIdentity login domain and its API gateway.
pub(super) struct OneApiCloud {
    pub(crate) name: &'static str,
    pub(crate) login_domain: &'static str,
    pub(crate) api_host: &'static str,
}

pub(super) const ONEAPI: [OneApiCloud; 4] = [
    OneApiCloud {
        name: "production",
        login_domain: "zslogin.net",
        api_host: "https://api.zsapi.net",
    },
    OneApiCloud {
        name: "beta",
        login_domain: "zsloginbeta.net",
        api_host: "https://api.beta.zsapi.net",
    },
    OneApiCloud {
        name: "gov",
        login_domain: "zidentitygov.net",
        api_host: "https://api.zscalergov.net",
    },
    OneApiCloud {
        name: "govus",
        login_domain: "zidentitygov.us",
        api_host: "https://api.zscalergov.us",
    },
];

/// A legacy ZPA cloud and its `config.*` API host.
pub(super) struct LegacyCloud {
    pub(crate) name: &'static str,
    pub(crate) api_host: &'static str,
}

pub(super) const LEGACY: [LegacyCloud; 6] = [
    LegacyCloud {
        name: "PRODUCTION",
        api_host: "https://config.private.zscaler.com",
    },
    LegacyCloud {
        name: "BETA",
        api_host: "https://config.zpabeta.net",
    },
    LegacyCloud {
        name: "GOV",
        api_host: "https://config.zpagov.net",
    },
    LegacyCloud {
        name: "GOVUS",
        api_host: "https://config.zpagov.us",
    },
    LegacyCloud {
        name: "ZPATWO",
        api_host: "https://config.zpatwo.net",
    },
    LegacyCloud {
        name: "PREVIEW",
        api_host: "https://config.zpapreview.net",
    },
];

pub(super) fn oneapi(name: &str) -> Option<&'static OneApiCloud> {
    ONEAPI.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

pub(super) fn legacy(name: &str) -> Option<&'static LegacyCloud> {
    LEGACY.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

/// "production, beta, gov or govus", for hints.
pub(super) fn names<T>(clouds: &[T], name: impl Fn(&T) -> &'static str) -> String {
    let names: Vec<&str> = clouds.iter().map(name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_in_any_case() {
        assert_eq!(
            oneapi("BETA").unwrap().api_host,
            "https://api.beta.zsapi.net"
        );
        assert_eq!(
            legacy("zpatwo").unwrap().api_host,
            "https://config.zpatwo.net"
        );
        assert!(oneapi("mars").is_none());
        assert_eq!(names(&ONEAPI, |c| c.name), "production, beta, gov or govus");
        assert_eq!(
            names(&LEGACY, |c| c.name),
            "PRODUCTION, BETA, GOV, GOVUS, ZPATWO or PREVIEW"
        );
    }
}
