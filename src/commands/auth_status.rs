//! `zpakey auth status`: answers "why doesn't my CI config work?" — the resolved settings,
//! where each came from (flag, variable, profile), and whether ZPA accepts them.

use std::io::Write;
use std::time::Instant;

use comfy_table::Cell;
use serde::Serialize;

use crate::api::Client;
use crate::cli::GlobalArgs;
use crate::commands::Context;
use crate::config::{self, ProcessEnv, Reported};
use crate::output::OutputFormat;

/// The order settings are shown in; all of them, "not set" where missing.
const SETTINGS: [(&str, &str); 9] = [
    ("profile", "profile"),
    ("mode", "mode"),
    ("cloud", "cloud"),
    ("api_url", "API URL"),
    ("token_url", "token URL"),
    ("customer_id", "customer id"),
    ("client_id", "client id"),
    ("credential", "credential"),
    ("microtenant_id", "microtenant"),
];

#[derive(Serialize)]
struct SignIn {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<u64>,
    elapsed_ms: Option<u128>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct Status<'a> {
    settings: Vec<&'a Reported>,
    sign_in: SignIn,
}

pub(crate) async fn run(
    global: &GlobalArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (located, mut reports) =
        config::resolve_reporting(global, &ctx.origins, &ProcessEnv, ctx.term.can_prompt);
    let settings = match located {
        Ok(located) => super::read_secret(located, &ctx.term).await,
        Err(e) => Err(e),
    };
    reports.sort_by_key(|r| SETTINGS.iter().position(|(id, _)| *id == r.setting));
    let (sign_in, failure) = match settings {
        Err(error) => (
            SignIn {
                ok: false,
                expires_in: None,
                elapsed_ms: None,
                error: Some(error.message.clone()),
            },
            Some(error),
        ),
        Ok(settings) => {
            let client = Client::new(settings, Box::new(|_| {}))?;
            let started = Instant::now();
            match client.sign_in().await {
                Ok(lifetime) => (
                    SignIn {
                        ok: true,
                        expires_in: Some(lifetime.as_secs()),
                        elapsed_ms: Some(started.elapsed().as_millis()),
                        error: None,
                    },
                    None,
                ),
                Err(error) => (
                    SignIn {
                        ok: false,
                        expires_in: None,
                        elapsed_ms: Some(started.elapsed().as_millis()),
                        error: Some(error.message.clone()),
                    },
                    Some(error),
                ),
            }
        }
    };
    match ctx.format {
        OutputFormat::Json => {
            let status = Status {
                settings: reports.iter().collect(),
                sign_in,
            };
            crate::output::write_json(out, &status)?;
        }
        OutputFormat::Table => write_table(out, &reports, &sign_in, ctx)?,
    }
    match failure {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

fn write_table(
    out: &mut dyn Write,
    reports: &[Reported],
    sign_in: &SignIn,
    ctx: &Context,
) -> std::io::Result<()> {
    let mut table = crate::output::new_table(&ctx.term);
    table.set_header(["SETTING", "VALUE", "FROM"]);
    for (id, label) in SETTINGS {
        let found = reports.iter().find(|r| r.setting == id);
        let (value, from) = match found {
            Some(r) => (r.value.clone(), r.origin.to_string()),
            None => ("not set".to_owned(), "-".to_owned()),
        };
        table.add_row(vec![Cell::new(label), Cell::new(value), Cell::new(from)]);
    }
    let result = match (sign_in.ok, sign_in.expires_in, &sign_in.error) {
        (true, Some(secs), _) => format!(
            "ok: token valid for {} ({} ms)",
            humantime::format_duration(std::time::Duration::from_secs(secs)),
            sign_in.elapsed_ms.unwrap_or_default()
        ),
        _ => "failed (the error follows on stderr)".to_owned(),
    };
    table.add_row(vec![Cell::new("sign-in"), Cell::new(result), Cell::new("")]);
    crate::output::write_table(out, table, &ctx.term)
}
