//! Resolution end to end on a supplied environment: which mode and clouds are chosen, which
//! hosts follow, and which variables a missing-settings error names.

use super::resolver::resolve;
use super::*;
use crate::cli::Cli;
use crate::error::{Kind, Result};
use clap::{CommandFactory, FromArgMatches};
use std::collections::HashMap;
use std::ffi::OsString;

struct MapEnv(HashMap<&'static str, &'static str>);

impl Env for MapEnv {
    fn var_os(&self, name: &str) -> Option<OsString> {
        self.0.get(name).map(Into::into)
    }
}

/// Parses as zpakey does, blind to this process's environment (clap's `env =` would read a
/// developer's ZPAKEY_* variables): the environment of a test is its `MapEnv` alone.
fn parse(argv: &[&str]) -> Cli {
    let command = Cli::command()
        .mut_args(|a| a.env(None::<&str>))
        .mut_subcommands(|sub| sub.mut_args(|a| a.env(None::<&str>)));
    let matches = command.try_get_matches_from(argv).unwrap();
    Cli::from_arg_matches(&matches).unwrap()
}

fn resolve_with(
    args: &[&str],
    vars: &[(&'static str, &'static str)],
) -> Result<Settings<SecretSource>> {
    let mut argv = vec!["zpakey"];
    argv.extend_from_slice(args);
    argv.push("list");
    let cli = parse(&argv);
    let env = MapEnv(vars.iter().copied().collect());
    resolve(&cli.global, &FlagOrigins::new(), &env, false)
}

const ONEAPI: [(&str, &str); 4] = [
    ("ZSCALER_CLIENT_ID", "id"),
    ("ZSCALER_CLIENT_SECRET", "s3cret"),
    ("ZSCALER_VANITY_DOMAIN", "acme"),
    ("ZPA_CUSTOMER_ID", "216196257331281920"),
];

fn token_url(s: &Settings<SecretSource>) -> &str {
    match &s.mode {
        Mode::OneApi { token_url, .. } => token_url,
        Mode::Legacy { .. } => panic!("legacy"),
    }
}

#[test]
fn oneapi_clouds() {
    let s = resolve_with(&[], &ONEAPI).unwrap();
    assert_eq!(token_url(&s), "https://acme.zslogin.net/oauth2/v1/token");
    assert_eq!(
        s.customer_base(),
        "https://api.zsapi.net/zpa/mgmtconfig/v1/admin/customers/216196257331281920"
    );
    let s = resolve_with(&["--cloud", "BETA"], &ONEAPI).unwrap();
    assert_eq!(
        token_url(&s),
        "https://acme.zsloginbeta.net/oauth2/v1/token"
    );
    assert_eq!(s.api_base, "https://api.beta.zsapi.net");
    let s = resolve_with(&["--cloud", "govus"], &ONEAPI).unwrap();
    assert_eq!(
        token_url(&s),
        "https://acme.zidentitygov.us/oauth2/v1/token"
    );
    assert_eq!(s.api_base, "https://api.zscalergov.us");
    let e = resolve_with(&["--cloud", "mars"], &ONEAPI).err().unwrap();
    assert_eq!(e.kind, Kind::Usage);
}

#[test]
fn legacy_selection_and_hosts() {
    let vars = [
        ("ZPA_CLIENT_ID", "id"),
        ("ZPA_CLIENT_SECRET", "s"),
        ("ZPA_CUSTOMER_ID", "1"),
        ("ZPA_CLOUD", "zpatwo"),
    ];
    let s = resolve_with(&[], &vars).unwrap();
    assert_eq!(s.mode_name(), "legacy");
    assert_eq!(
        s.customer_base(),
        "https://config.zpatwo.net/mgmtconfig/v1/admin/customers/1"
    );
    let mut both = ONEAPI.to_vec();
    both.push(("ZPA_CLIENT_ID", "x"));
    assert_eq!(resolve_with(&[], &both).err().unwrap().kind, Kind::Usage);
    both.push(("ZPA_CLIENT_SECRET", "y"));
    both.push(("ZSCALER_USE_LEGACY_CLIENT", "TRUE"));
    assert_eq!(resolve_with(&[], &both).unwrap().mode_name(), "legacy");
}

#[test]
fn missing_settings_name_the_variables() {
    let e = resolve_with(&[], &[("ZPA_CUSTOMER_ID", "1")])
        .err()
        .unwrap();
    assert_eq!(e.kind, Kind::Credentials);
    assert_eq!(
        e.message,
        "ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN not set: the OneAPI sign-in needs them"
    );
    let e = resolve_with(&[], &ONEAPI[..3]).err().unwrap();
    assert_eq!(
        e.message,
        "ZPA_CUSTOMER_ID not set: the OneAPI sign-in needs it"
    );
}

#[test]
fn customer_id_must_be_numeric() {
    let mut vars = ONEAPI.to_vec();
    vars[3] = ("ZPA_CUSTOMER_ID", "acme");
    assert_eq!(resolve_with(&[], &vars).err().unwrap().kind, Kind::Usage);
    vars[3] = ("ZSCALER_CUSTOMER_ID", "42");
    assert_eq!(resolve_with(&[], &vars).unwrap().customer_id, "42");
}

#[test]
fn settings_are_reported_even_when_a_credential_is_missing() {
    let cli = parse(&["zpakey", "--cloud", "gov", "list"]);
    let env = MapEnv(
        [
            ("ZSCALER_CLIENT_ID", "id"),
            ("ZSCALER_VANITY_DOMAIN", "acme"),
        ]
        .into_iter()
        .collect(),
    );
    let (result, reports) = super::resolve_reporting(&cli.global, &FlagOrigins::new(), &env, false);
    assert_eq!(result.err().map(|e| e.kind), Some(Kind::Credentials));
    let shown: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| (r.setting, r.value.as_str()))
        .collect();
    for expected in [
        ("mode", "OneAPI"),
        ("client_id", "id"),
        ("cloud", "gov"),
        ("api_url", "https://api.zscalergov.net"),
        ("token_url", "https://acme.zidentitygov.net/oauth2/v1/token"),
    ] {
        assert!(shown.contains(&expected), "{expected:?} in {shown:?}");
    }
    assert!(!shown.iter().any(|(s, _)| *s == "credential"), "{shown:?}");
}
