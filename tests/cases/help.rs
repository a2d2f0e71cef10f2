//! What a newcomer meets first (issue 15): help that answers, usage errors that say what to
//! type, and man pages and completions that show the real commands.

use crate::support::{bare, sim, stderr_of, stdout_of, zpakey};

#[test]
fn help_as_a_subcommand_and_a_short_h() {
    let long = bare().args(["get", "--help"]).output().unwrap();
    let via_help = bare().args(["help", "get"]).output().unwrap();
    assert_eq!(via_help.status.code(), Some(0), "{}", stderr_of(&via_help));
    assert_eq!(stdout_of(&via_help), stdout_of(&long));
    assert!(stdout_of(&long).contains("--profile <NAME>"));
    // -h is the short form: the command's own options, not the thirteen global ones.
    let short = stdout_of(&bare().args(["get", "-h"]).output().unwrap());
    assert!(short.contains("--field <FIELD>"), "{short}");
    assert!(!short.contains("--profile"), "{short}");
    assert!(short.contains("(see more with '--help')"), "{short}");
    // --help: the command's options, then the global ones under their own heading.
    let long = stdout_of(&long);
    let (own, global) = long.split_once("\nGlobal options:\n").expect(&long);
    assert!(
        own.contains("--field <FIELD>") && !own.contains("--profile"),
        "{long}"
    );
    assert!(global.contains("--profile <NAME>"), "{long}");
    // list --help names every --type value.
    let list = stdout_of(&bare().args(["list", "--help"]).output().unwrap());
    for ty in [
        "CONNECTOR_GRP",
        "SERVICE_EDGE_GRP",
        "NP_ASSISTANT_GRP",
        "SITE_CONTROLLER_GRP",
        "EXPORTER_GRP",
        "site-controller",
        "exporter",
    ] {
        assert!(list.contains(ty), "{ty} missing from:\n{list}");
    }
}

#[test]
fn usage_errors_show_the_plain_usage_and_what_is_missing() {
    let sim = sim();
    // The job sets ZPAKEY_API_URL and ZPAKEY_AUTH_URL: they are not required flags.
    zpakey(&sim)
        .args(["reveal"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "zpakey: error: the following required arguments were not provided:\n  <--id <ID>|--name <NAME>>\n\n\
             Usage: zpakey reveal [OPTIONS] <--id <ID>|--name <NAME>>\n\nFor more information, try '--help'.\n",
        );
    bare()
        .args(["-o", "json", "reveal"])
        .assert()
        .code(2)
        .stderr("{\"error\":{\"code\":\"usage\",\"exit\":2,\"message\":\"the following required arguments were not provided: <--id <ID>|--name <NAME>>\"}}\n");
}

#[test]
fn a_bare_id_or_name_gets_a_tip() {
    bare()
        .args(["get", "58856"])
        .assert()
        .code(2)
        .stderr(
            "zpakey: error: unexpected argument '58856' found\n\n  tip: to look a key up by id, use '--id 58856'\n\n\
             Usage: zpakey get [OPTIONS] <--id <ID>|--name <NAME>>\n\nFor more information, try '--help'.\n",
        );
    let out = bare().args(["reveal", "edge-prod"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("  tip: to look a key up by name, use '--name edge-prod'\n"),
        "{}",
        stderr_of(&out)
    );
    // The command is where clap finds it, not a global option's value that happens to be a
    // command's name.
    bare()
        .args(["--profile", "get", "list", "edge"])
        .assert()
        .code(2)
        .stderr(
            "zpakey: error: unexpected argument 'edge' found\n\n\
             Usage: zpakey list [OPTIONS]\n\nFor more information, try '--help'.\n",
        );
}

#[test]
fn types_by_an_unambiguous_beginning() {
    let sim = sim();
    for (ty, id) in [
        ("np", "60301"),
        ("site", "60401"),
        ("EXP", "60501"),
        ("conn", "58856"),
    ] {
        zpakey(&sim)
            .args(["get", "--id", id, "--type", ty, "--field", "id"])
            .assert()
            .success()
            .stdout(format!("{id}\n"));
    }
    let out = zpakey(&sim)
        .args(["get", "--id", "1", "--type", "s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).starts_with("zpakey: error: invalid value 's' for '--type <TYPE>'"));
}

#[test]
fn completions_and_man_pages_show_only_what_people_use() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("completions")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("generate"), "{}", path.display());
        assert!(text.contains("check"), "{}", path.display());
    }
    let reveal = std::fs::read_to_string(root.join("man/zpakey-reveal.1")).unwrap();
    assert!(
        reveal.contains(".TH ZPAKEY-REVEAL 1  \"zpakey "),
        "the footer names zpakey"
    );
    assert!(
        reveal.contains(
            ".SH SYNOPSIS\n\\fBzpakey reveal\\fR (\\fB\\-\\-id\\fR \\fIID\\fR | \\fB\\-\\-name\\fR \\fINAME\\fR) [\\fB\\-\\-type\\fR \\fITYPE\\fR]"
        ),
        "{reveal}"
    );
    assert!(
        reveal.contains(".SH \"EXAMPLES\"\n.nf\n  zpakey reveal "),
        "{reveal}"
    );
    assert!(!reveal.contains(".SH EXTRA"));
}
