//! The examples of `zpakey --help` and of every command's `--help` (which the man pages carry)
//! run against zpa-sim, as README's do.

use super::run_blocks;

#[test]
fn every_help_example_runs() {
    // The examples of `zpakey --help` and of each command's `--help`: the man pages carry the
    // same text (tests/cases/generated.rs checks they are current).
    let help = |args: &[&str]| {
        let out = crate::support::bare().args(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let mut markdown = String::new();
    let top = help(&["--help"]);
    // Every command `zpakey --help` lists, so a new one cannot be missed (`auth` has one).
    let commands: Vec<&str> = top
        .split_once("Commands:\n")
        .map(|(_, rest)| rest)
        .unwrap_or_default()
        .lines()
        .take_while(|l| !l.is_empty())
        // A command's line, not the continuation of a long description.
        .filter_map(|l| l.strip_prefix("  ").filter(|rest| !rest.starts_with(' ')))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(|c| if c == "auth" { "auth status" } else { c })
        .collect();
    assert!(commands.contains(&"inject"), "{commands:?}");
    let mut texts = vec![top.clone()];
    for command in commands {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        texts.push(help(&args));
    }
    for text in texts {
        let examples: Vec<&str> = text
            .split_once("Example")
            .map(|(_, rest)| rest)
            .unwrap_or_default()
            .lines()
            .skip(1)
            .take_while(|l| l.is_empty() || l.starts_with(' '))
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.ends_with(':'))
            .collect();
        assert!(!examples.is_empty(), "no examples in:\n{text}");
        markdown.push_str("```sh\n");
        for example in examples {
            markdown.push_str(example);
            markdown.push('\n');
        }
        markdown.push_str("```\n");
    }
    run_blocks("--help", &markdown);
}
