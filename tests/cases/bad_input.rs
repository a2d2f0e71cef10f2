//! Every kind of bad input: a clear message, the documented exit code, and no request sent.

use std::ffi::OsString;

use crate::support::{sim, stderr_of, zpakey};

struct Case {
    args: Vec<OsString>,
    env: Vec<(&'static str, String)>,
    remove: Vec<&'static str>,
    code: i32,
    /// The first line of stderr, exactly.
    first_line: String,
}

fn case(args: &[&str], code: i32, first_line: &str) -> Case {
    Case {
        args: args.iter().map(Into::into).collect(),
        env: vec![],
        remove: vec![],
        code,
        first_line: first_line.to_owned(),
    }
}

impl Case {
    fn env(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.env.push((name, value.into()));
        self
    }

    fn without(mut self, name: &'static str) -> Self {
        self.remove.push(name);
        self
    }
}

#[test]
fn every_bad_input_is_a_clear_error_before_any_request() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let empty_file = dir.path().join("empty");
    std::fs::write(&empty_file, "\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&empty_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let empty_file = empty_file.display().to_string();
    let dir_path = dir.path().display().to_string();
    let list = ["list"];
    #[cfg(unix)]
    let non_utf8 = {
        use std::os::unix::ffi::OsStringExt;
        OsString::from_vec(vec![b'k', 0xff, b'y'])
    };
    let cases = vec![
        case(&["get", "--id", "58a56"], 2, "zpakey: error: invalid value '58a56' for '--id <ID>': ZPA ids are digits only, e.g. 58856"),
        case(&["get", "--id", "5.8"], 2, "zpakey: error: invalid value '5.8' for '--id <ID>': ZPA ids are digits only, e.g. 58856"),
        case(&["get", "--id", "99999999999999999999"], 2, "zpakey: error: invalid value '99999999999999999999' for '--id <ID>': ZPA ids have at most 19 digits"),
        case(&["get", "--id", "1", "--type", "EDGE_GRP"], 2, "zpakey: error: invalid value 'EDGE_GRP' for '--type <TYPE>'"),
        case(&["get", "--name", ""], 2, "zpakey: error: invalid value '' for '--name <NAME>': a name cannot be empty"),
        case(&["get", "--name", &"n".repeat(5000)], 2, &format!("zpakey: error: invalid value '{}' for '--name <NAME>': a name is at most 1024 bytes", "n".repeat(5000))),
        // clap drops the control character when it prints the value back.
        case(&["get", "--name", "a\u{7}b"], 2, "zpakey: error: invalid value 'ab' for '--name <NAME>': a name cannot contain control characters"),
        case(&["get", "--id", "1", "--name", "x"], 2, "zpakey: error: the argument '--id <ID>' cannot be used with '--name <NAME>'"),
        case(&list, 2, "zpakey: error: ZSCALER_CLOUD 'mars' is not a OneAPI cloud zpakey knows").env("ZSCALER_CLOUD", "mars"),
        case(&["--cloud", "zscalerthree", "list"], 2, "zpakey: error: --cloud 'zscalerthree' is not a OneAPI cloud zpakey knows"),
        case(&["--legacy", "list"], 2, "zpakey: error: ZPA_CLOUD 'MOON' is not a ZPA cloud zpakey knows")
            .env("ZPA_CLIENT_ID", "c").env("ZPA_CLIENT_SECRET", "s").env("ZPA_CLOUD", "MOON"),
        case(&["--api-url", "ftp://127.0.0.1", "list"], 2, "zpakey: error: --api-url 'ftp://127.0.0.1' has scheme 'ftp'; use https://"),
        case(&["--api-url", "api.zsapi.net", "list"], 2, "zpakey: error: --api-url 'api.zsapi.net' is not a valid URL: relative URL without a base"),
        case(&list, 2, "zpakey: error: ZPAKEY_API_URL 'http://api.example.com' uses plain http to a host that is not loopback")
            .env("ZPAKEY_API_URL", "http://api.example.com"),
        case(&list, 2, "zpakey: error: ZPAKEY_AUTH_URL 'http://10.1.2.3/token' uses plain http to a host that is not loopback")
            .env("ZPAKEY_AUTH_URL", "http://10.1.2.3/token"),
        case(&list, 2, "zpakey: error: ZPA_CUSTOMER_ID must be the tenant's numeric customer id, not 'acme-corp'")
            .env("ZPA_CUSTOMER_ID", "acme-corp"),
        case(&list, 2, "zpakey: error: ZSCALER_VANITY_DOMAIN must be the bare vanity name (as in https://<name>.zslogin.net), not 'acme.zslogin.net'")
            .env("ZSCALER_VANITY_DOMAIN", "acme.zslogin.net").without("ZPAKEY_AUTH_URL"),
        // The variable's value is never echoed: people put the secret itself there by mistake.
        case(&list, 3, "zpakey: error: cannot read the file ZSCALER_CLIENT_SECRET_FILE names: no such file")
            .without("ZSCALER_CLIENT_SECRET").env("ZSCALER_CLIENT_SECRET_FILE", "/nonexistent/secret"),
        case(&list, 3, &format!("zpakey: error: the file ZSCALER_CLIENT_SECRET_FILE names ({empty_file}) is empty"))
            .without("ZSCALER_CLIENT_SECRET").env("ZSCALER_CLIENT_SECRET_FILE", empty_file.clone()),
        case(&list, 3, "zpakey: error: ZSCALER_CLIENT_SECRET_FILE is set but empty")
            .without("ZSCALER_CLIENT_SECRET").env("ZSCALER_CLIENT_SECRET_FILE", ""),
        case(&list, 3, "zpakey: error: cannot read the file ZSCALER_CLIENT_SECRET_FILE names: it is a directory")
            .without("ZSCALER_CLIENT_SECRET").env("ZSCALER_CLIENT_SECRET_FILE", dir_path.clone()),
        case(&list, 2, "zpakey: error: both ZSCALER_CLIENT_SECRET and ZSCALER_CLIENT_SECRET_FILE are set; set only one")
            .env("ZSCALER_CLIENT_SECRET_FILE", empty_file.clone()),
        case(&list, 2, "zpakey: error: both ZSCALER_CLIENT_ID (OneAPI) and ZPA_CLIENT_ID (legacy API) are set, so the sign-in mode is ambiguous")
            .env("ZPA_CLIENT_ID", "legacy-client"),
        case(&list, 2, "zpakey: error: ZSCALER_USE_LEGACY_CLIENT must be true or false, not 'maybe'")
            .env("ZSCALER_USE_LEGACY_CLIENT", "maybe"),
        case(&list, 2, "zpakey: error: invalid value 'abc' for '--microtenant-id <ID>': ZPA ids are digits only, e.g. 58856")
            .env("ZPA_MICROTENANT_ID", "abc"),
        case(&["--max-wait", "-1", "list"], 2, "zpakey: error: unexpected argument '-1' found"),
        case(&["--timeout", "soon", "list"], 2, "zpakey: error: invalid value 'soon' for '--timeout <SECONDS>': expected a number of seconds greater than 0, e.g. 30 or 0.5"),
    ];
    let mut cases = cases;
    #[cfg(unix)]
    cases.push(Case {
        args: vec!["get".into(), "--name".into(), non_utf8],
        env: vec![],
        remove: vec![],
        code: 2,
        first_line: "zpakey: error: invalid UTF-8 was detected in one or more arguments".into(),
    });
    for case in cases {
        let mut cmd = zpakey(&sim);
        for name in &case.remove {
            cmd.env_remove(name);
        }
        for (name, value) in &case.env {
            cmd.env(name, value);
        }
        let out = cmd.args(&case.args).output().unwrap();
        let stderr = stderr_of(&out);
        assert_eq!(
            out.status.code(),
            Some(case.code),
            "{:?} {:?}: {stderr}",
            case.args,
            case.env
        );
        assert!(out.stdout.is_empty());
        assert_eq!(
            stderr.lines().next().unwrap_or_default(),
            case.first_line,
            "{:?} {:?}",
            case.args,
            case.env
        );
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}
