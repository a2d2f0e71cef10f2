//! `zpakey inject` (issue 14): a template's references filled in with key values — all of
//! them, or nothing written at all — from stdin or `-i FILE`, to stdout or atomically to
//! `-o FILE` / `--out-file FILE`; and the GitHub Actions mask announced exactly when a key goes
//! to stdout (`inject` and `reveal`).

#![cfg(unix)]

use crate::support::hostile::names_in;
use crate::support::{mode_of, sim, value_of, zpakey};

/// References by id, by percent-encoded name with a type, the same key twice, and another
/// template language's expression that must pass through untouched.
const TEMPLATE: &str = "\
zsglobal:
  provisionkey:
    value: \"{{ zpakey://id/58856 }}\"
edge: {{zpakey://name/AWS%20us-east-1%20(prod)%20%26%20DR%20%232?type=connector}}
again: {{ zpakey://id/58856 }}  # {{ .Values.untouched }}
pcc: {{ zpakey://name/pcc-prod?type=SITE_CONTROLLER_GRP }}
";

fn rendered(sim: &zpa_sim::SimHandle) -> String {
    let (a, b, c) = (
        value_of(sim.tenant(), "58856"),
        value_of(sim.tenant(), "60105"),
        value_of(sim.tenant(), "60401"),
    );
    format!(
        "zsglobal:\n  provisionkey:\n    value: \"{a}\"\nedge: {b}\nagain: {a}  # {{{{ .Values.untouched }}}}\npcc: {c}\n"
    )
}

/// The names in a directory (to see that nothing, not even a temporary file, was left).
#[test]
fn references_are_filled_in_exactly_from_stdin_and_from_a_file() {
    let sim = sim();
    zpakey(&sim)
        .arg("inject")
        .write_stdin(TEMPLATE)
        .assert()
        .success()
        .stdout(rendered(&sim))
        .stderr("");
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("values.tpl");
    std::fs::write(&template, TEMPLATE).unwrap();
    for flag in ["-i", "--in-file"] {
        zpakey(&sim)
            .args(["inject", flag])
            .arg(&template)
            .assert()
            .success()
            .stdout(rendered(&sim))
            .stderr("");
    }
}

#[test]
fn o_and_out_file_write_the_file_atomically_with_its_mode() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("user-data.tpl");
    // One key, so that the runs stay well within the rate limit zpakey paces itself to.
    std::fs::write(&template, "key: {{ zpakey://id/58856 }}\n").unwrap();
    let filled = format!("key: {}\n", value_of(sim.tenant(), "58856"));
    for (flag, mode, expected) in [
        ("-o", None, 0o600),
        ("--out-file", None, 0o600),
        ("-o", Some("0644"), 0o644),
        ("--out-file", Some("0640"), 0o640),
    ] {
        let out = dir.path().join(format!("user-data{flag}{mode:?}"));
        let mut cmd = zpakey(&sim);
        cmd.args(["inject", "-i"])
            .arg(&template)
            .arg(flag)
            .arg(&out);
        if let Some(mode) = mode {
            cmd.args(["--file-mode", mode]);
        }
        cmd.assert()
            .success()
            .stdout("")
            .stderr(format!("zpakey: wrote {} (1 key)\n", out.display()));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), filled);
        assert_eq!(mode_of(&out), expected, "{flag} {mode:?}");
    }
    // Written once; an existing file is replaced only with --force.
    let out = dir.path().join("user-data-o");
    std::fs::write(&out, "old\n").unwrap();
    zpakey(&sim)
        .args(["inject", "-i"])
        .arg(&template)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "zpakey: error: --out-file {} already exists\nhint: pass --force to replace it\n",
            out.display()
        ));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old\n");
    zpakey(&sim)
        .args(["inject", "--force", "-i"])
        .arg(&template)
        .arg(format!("-o{}", out.display()))
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), filled);
    assert_eq!(names_in(dir.path()).len(), 6, "no temporary file left");
}

#[test]
fn o_before_inject_is_still_the_output_format() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("values.yaml");
    zpakey(&sim)
        .args(["-o", "json", "inject"])
        .write_stdin("{{ zpakey://id/999 }}\n")
        .assert()
        .code(4)
        .stdout("")
        .stderr(
            "{\"error\":{\"code\":\"not_found\",\"exit\":4,\"message\":\"no provisioning key has id 999\"}}\n",
        );
    // Both: the format before the subcommand, the file after it.
    zpakey(&sim)
        .args(["-o", "json", "inject", "-o"])
        .arg(&out)
        .write_stdin("k: {{ zpakey://id/58856 }}\n")
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        format!("k: {}\n", value_of(sim.tenant(), "58856"))
    );
    zpakey(&sim)
        .args(["-o", "json", "inject", "-o"])
        .arg(&out)
        .write_stdin("k: {{ zpakey://id/1 2 }}\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "{\"error\":{\"code\":\"usage\",\"exit\":2,\"message\":\"line 1, column 4: reference 'zpakey://id/1 2' contains a space or control character (write a space in a name as %20); use {{ zpakey://id/ID }} or {{ zpakey://name/NAME?type=TYPE }}\"}}\n",
        );
}

#[test]
fn a_missing_key_writes_nothing() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("values.yaml");
    let template =
        "a: {{ zpakey://id/58856 }}\nb: {{ zpakey://name/no-such-key?type=connector }}\n";
    zpakey(&sim)
        .arg("inject")
        .write_stdin(template)
        .assert()
        .code(4)
        .stdout("")
        .stderr(
            "zpakey: error: no provisioning key is named 'no-such-key' under CONNECTOR_GRP\n\
             hint: run 'zpakey list' to see the keys this API client can read\n",
        );
    zpakey(&sim)
        .args(["inject", "-o"])
        .arg(&out)
        .write_stdin(template)
        .assert()
        .code(4)
        .stdout("");
    assert!(
        names_in(dir.path()).is_empty(),
        "{:?}",
        names_in(dir.path())
    );
    // Several matches are an error, never a prompt.
    zpakey(&sim)
        .arg("inject")
        .write_stdin("{{ zpakey://name/shared-name }}")
        .assert()
        .code(5)
        .stdout("");
}

#[test]
fn malformed_references_are_exit_2_with_line_and_column_before_any_request() {
    let sim = sim();
    const USAGE: &str = "use {{ zpakey://id/ID }} or {{ zpakey://name/NAME?type=TYPE }}";
    for (template, error) in [
        (
            "a: 1\nb: {{ zpakey://id/12a }}\n",
            format!(
                "line 2, column 4: invalid id in reference 'zpakey://id/12a': ZPA ids are digits only, e.g. 58856; {USAGE}"
            ),
        ),
        (
            "ok: {{ zpakey://id/58856 }}\n\n  x: {{ zpakey://key/1 }}",
            format!("line 3, column 6: unknown reference 'zpakey://key/1'; {USAGE}"),
        ),
        (
            "{{ zpakey://name/edge?type=router }}",
            format!(
                "line 1, column 1: invalid parameters in reference 'zpakey://name/edge?type=router': unknown key type 'router'; types are CONNECTOR_GRP, EXPORTER_GRP, NP_ASSISTANT_GRP, SERVICE_EDGE_GRP, SITE_CONTROLLER_GRP; {USAGE}"
            ),
        ),
        (
            "é: {{ zpakey://id/1\n}}",
            format!(
                "line 1, column 4: reference 'zpakey://id/1' has no closing }}}} on its line; {USAGE}"
            ),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        zpakey(&sim)
            .args(["inject", "-o"])
            .arg(&out)
            .write_stdin(template)
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("zpakey: error: {error}\n"));
        assert!(names_in(dir.path()).is_empty());
    }
    assert!(sim.requests().is_empty(), "no request for a bad template");
}

#[test]
fn health_options_refuse_and_write_nothing() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("values.yaml");
    zpakey(&sim)
        .args(["inject", "-o"])
        .arg(&out)
        .write_stdin("a: {{ zpakey://id/58856 }}\nb: {{ zpakey://id/60201 }}\n")
        .assert()
        .code(7)
        .stdout("")
        .stderr(
            "zpakey: error: key 'edge-prod' has been used 10 of 10 times\n\
             hint: raise the key's maximum usage in the ZPA admin portal, or use another key\n\
             hint: pass --allow-unusable to fill it in anyway\n",
        );
    zpakey(&sim)
        .args(["inject", "--min-remaining", "3"])
        .write_stdin("{{ zpakey://name/pcc-prod }}")
        .assert()
        .code(7)
        .stdout("")
        .stderr(
            "zpakey: error: key 'pcc-prod' has 1 use left; --min-remaining asks for 3\n\
             hint: raise the key's maximum usage in the ZPA admin portal, or use another key\n\
             hint: pass --allow-unusable to fill it in anyway\n",
        );
    assert!(names_in(dir.path()).is_empty());
    // Named twice, by id and by name: one key, one warning.
    let value = value_of(sim.tenant(), "60201");
    zpakey(&sim)
        .args(["inject", "--allow-unusable"])
        .write_stdin("{{ zpakey://id/60201 }} {{ zpakey://name/edge-prod }}")
        .assert()
        .success()
        .stdout(format!("{value} {value}"))
        .stderr("zpakey: warning: filling in an unusable key: key 'edge-prod' has been used 10 of 10 times\n");
}

#[test]
fn github_actions_mask_is_announced_exactly_when_a_key_goes_to_stdout() {
    let sim = sim();
    let (a, c) = (
        value_of(sim.tenant(), "58856"),
        value_of(sim.tenant(), "60401"),
    );
    let b = value_of(sim.tenant(), "60105");
    let masks = format!("::add-mask::{a}\n::add-mask::{b}\n::add-mask::{c}\n");
    // inject to stdout: each distinct key once, in the template's order.
    zpakey(&sim)
        .env("GITHUB_ACTIONS", "true")
        .arg("inject")
        .write_stdin(TEMPLATE)
        .assert()
        .success()
        .stdout(rendered(&sim))
        .stderr(masks);
    // reveal to stdout, as text and as JSON.
    for format in ["table", "json"] {
        let out = zpakey(&sim)
            .env("GITHUB_ACTIONS", "true")
            .args(["-o", format, "reveal", "--id", "58856"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!("::add-mask::{a}\n")
        );
        assert!(String::from_utf8(out.stdout).unwrap().contains(&a));
    }
    // Not outside GitHub Actions, not when turned off, not when the key goes to a file.
    for (vars, stderr) in [
        (&[][..], ""),
        (&[("GITHUB_ACTIONS", "false")], ""),
        (&[("CI", "true")], ""),
        (&[("GITHUB_ACTIONS", "true"), ("ZPAKEY_CI_MASK", "0")], ""),
    ] {
        zpakey(&sim)
            .envs(vars.iter().copied())
            .args(["reveal", "--id", "58856"])
            .assert()
            .success()
            .stdout(format!("{a}\n"))
            .stderr(stderr);
        zpakey(&sim)
            .envs(vars.iter().copied())
            .arg("inject")
            .write_stdin("{{ zpakey://id/58856 }}")
            .assert()
            .success()
            .stdout(a.clone())
            .stderr(stderr);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key");
    zpakey(&sim)
        .env("GITHUB_ACTIONS", "true")
        .args(["reveal", "--id", "58856", "--out-file"])
        .arg(&file)
        .assert()
        .success()
        .stdout("")
        .stderr(format!(
            "zpakey: wrote key 'tests-pkacg-vcr0003' (id 58856, CONNECTOR_GRP) to {}\n",
            file.display()
        ));
    for flag in ["-o", "--out-file"] {
        let file = dir.path().join(format!("values{flag}"));
        zpakey(&sim)
            .env("GITHUB_ACTIONS", "true")
            .args(["inject", flag])
            .arg(&file)
            .write_stdin("{{ zpakey://id/58856 }}")
            .assert()
            .success()
            .stdout("")
            .stderr(format!("zpakey: wrote {} (1 key)\n", file.display()));
    }
}

#[test]
fn a_template_without_references_is_copied_with_a_warning() {
    let sim = sim();
    zpakey(&sim)
        .arg("inject")
        .write_stdin("plain: {{ .Values.x }}\n")
        .assert()
        .success()
        .stdout("plain: {{ .Values.x }}\n")
        .stderr(
            "zpakey: warning: the template has no {{ zpakey://… }} references; writing it unchanged\n",
        );
    assert!(sim.requests().is_empty());
    zpakey(&sim)
        .args(["inject", "-i", "/nonexistent/values.tpl"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("zpakey: error: cannot read the template /nonexistent/values.tpl: no such file or directory\n");
}
