//! `-o FILE` for `inject`'s output file. `-o` is already the global `--output FORMAT` (as in
//! `zpakey -o json list`), and clap allows one meaning per short option in a command, so after
//! the `inject` subcommand `-o` is rewritten to `--out-file` before clap sees it. Which tokens
//! are options, and which of those take a value, is read off the clap definition, so a new
//! global option cannot shift what counts as "after `inject`".

use std::ffi::OsString;

use clap::{Arg, Command, CommandFactory};

use super::Cli;

/// The subcommand whose `-o` means its output file.
const SUBCOMMAND: &str = "inject";
/// The short option it takes over, and the argument (by id) it stands for there.
const SHORT: char = 'o';
const TARGET_ID: &str = "out_file";

/// `args` (with the program name first) as clap should parse them.
pub(crate) fn rewrite(args: Vec<OsString>) -> Vec<OsString> {
    // Most runs are not `inject`: spare them building the whole definition.
    if !args.iter().skip(1).any(|a| a == SUBCOMMAND) {
        return args;
    }
    let mut command = Cli::command();
    command.build();
    let Some(at) = subcommand_at(&command, &args) else {
        return args;
    };
    let Some(inject) = command
        .find_subcommand(SUBCOMMAND)
        .filter(|_| args[at] == SUBCOMMAND)
    else {
        return args;
    };
    let Some(long) = inject
        .get_arguments()
        .find(|a| a.get_id() == TARGET_ID)
        .and_then(Arg::get_long)
    else {
        return args;
    };
    let mut out = args[..=at].to_vec();
    let mut rest = args[at + 1..].iter();
    while let Some(token) = rest.next() {
        let Some(text) = token.to_str() else {
            out.push(token.clone());
            continue;
        };
        if text == "--" {
            out.push(token.clone());
            out.extend(rest.by_ref().cloned());
            break;
        }
        let (tokens, value) = match short_cluster(inject, text) {
            Some(cluster) => rewrite_cluster(&cluster, long),
            None => (vec![token.clone()], takes_value(inject, text)),
        };
        out.extend(tokens);
        if let Some(next) = rest.as_slice().first()
            && value.consumes(next)
        {
            out.push(next.clone());
            rest.next();
        }
    }
    out
}

/// Where the subcommand's name is in `args`: the first token that is neither a global option
/// nor the value of one.
pub(super) fn subcommand_at(command: &Command, args: &[OsString]) -> Option<usize> {
    let mut at = 1;
    while let Some(token) = args.get(at) {
        let text = token.to_str()?;
        if text == "--" {
            return None;
        }
        let value = match short_cluster(command, text) {
            Some(cluster) => cluster.last().map_or(Value::None, |(_, v, _)| *v),
            None if text.starts_with("--") => takes_value(command, text),
            None => return Some(at),
        };
        at += 1;
        if args.get(at).is_some_and(|next| value.consumes(next)) {
            at += 1;
        }
    }
    None
}

/// Whether an option takes the token after it as its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    /// A flag, or a value given in the same token (`--out-file=x`, `-ox`).
    None,
    Required,
    /// Taken unless it looks like an option.
    Optional,
}

impl Value {
    fn consumes(self, next: &OsString) -> bool {
        match self {
            Value::None => false,
            Value::Required => true,
            Value::Optional => !next.to_str().is_some_and(|n| n.starts_with('-')),
        }
    }

    fn of(arg: &Arg) -> Value {
        match arg.get_num_args() {
            Some(n) if n.min_values() > 0 => Value::Required,
            Some(n) if n.max_values() > 0 => Value::Optional,
            _ => Value::None,
        }
    }
}

/// What a long option token (`--name` or `--name=value`) does with the next token.
fn takes_value(command: &Command, text: &str) -> Value {
    let Some(name) = text.strip_prefix("--") else {
        return Value::None;
    };
    if name.contains('=') {
        return Value::None;
    }
    command
        .get_arguments()
        .find(|a| {
            a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|v| v.contains(&name))
        })
        .map_or(Value::None, Value::of)
}

/// A token of short options (`-v`, `-vvo`, `-ofile`), split as clap reads it: each option's
/// letter, what it does with the next token, and the rest of the token when that is its value.
fn short_cluster<'a>(command: &Command, text: &'a str) -> Option<Vec<(char, Value, &'a str)>> {
    let letters = text
        .strip_prefix('-')
        .filter(|l| !l.is_empty() && !l.starts_with('-'))?;
    let mut cluster = Vec::new();
    for (at, letter) in letters.char_indices() {
        let value = command
            .get_arguments()
            .find(|a| {
                a.get_short() == Some(letter)
                    || a.get_all_short_aliases()
                        .is_some_and(|v| v.contains(&letter))
            })
            .map_or(Value::None, Value::of);
        let rest = &letters[at + letter.len_utf8()..];
        if value != Value::None {
            // The rest of the token, if any, is this option's value (`-ofile`, `-o=file`).
            let inline = !rest.is_empty();
            cluster.push((letter, if inline { Value::None } else { value }, rest));
            return Some(cluster);
        }
        cluster.push((letter, Value::None, ""));
    }
    Some(cluster)
}

/// A short-option token of `inject`, with `-o` spelled as `--<long>`; and what the last option
/// does with the next token.
fn rewrite_cluster(cluster: &[(char, Value, &str)], long: &str) -> (Vec<OsString>, Value) {
    let mut tokens = Vec::new();
    let mut letters = String::new();
    for &(letter, value, rest) in cluster {
        if letter == SHORT {
            if !letters.is_empty() {
                tokens.push(OsString::from(format!("-{letters}")));
            }
            let inline = rest.strip_prefix('=').unwrap_or(rest);
            return if rest.is_empty() {
                tokens.push(OsString::from(format!("--{long}")));
                (tokens, Value::Required)
            } else {
                tokens.push(OsString::from(format!("--{long}={inline}")));
                (tokens, Value::None)
            };
        }
        letters.push(letter);
        letters.push_str(rest);
        if !rest.is_empty() || value != Value::None {
            tokens.push(OsString::from(format!("-{letters}")));
            return (tokens, value);
        }
    }
    tokens.push(OsString::from(format!("-{letters}")));
    (tokens, Value::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(args: &[&str]) -> Vec<String> {
        let mut all = vec![OsString::from("zpakey")];
        all.extend(args.iter().map(OsString::from));
        rewrite(all)
            .into_iter()
            .skip(1)
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn o_after_inject_is_the_output_file() {
        assert_eq!(
            rewritten(&["inject", "-o", "out"]),
            ["inject", "--out-file", "out"]
        );
        assert_eq!(
            rewritten(&["inject", "-oout"]),
            ["inject", "--out-file=out"]
        );
        assert_eq!(
            rewritten(&["inject", "-o=out"]),
            ["inject", "--out-file=out"]
        );
        assert_eq!(
            rewritten(&["inject", "-vvo", "out", "-i", "-o"]),
            ["inject", "-vv", "--out-file", "out", "-i", "-o"]
        );
        assert_eq!(
            rewritten(&["inject", "-i", "in", "--force", "-o", "json"]),
            ["inject", "-i", "in", "--force", "--out-file", "json"]
        );
        // `-i` takes the rest of its token as its value, `o` included.
        assert_eq!(rewritten(&["inject", "-io"]), ["inject", "-io"]);
    }

    #[test]
    fn o_before_inject_stays_the_output_format() {
        assert_eq!(
            rewritten(&["-o", "json", "inject", "-o", "f"]),
            ["-o", "json", "inject", "--out-file", "f"]
        );
        assert_eq!(
            rewritten(&["--profile", "inject", "-vo", "json", "list", "-o", "x"]),
            ["--profile", "inject", "-vo", "json", "list", "-o", "x"]
        );
        assert_eq!(
            rewritten(&["--token-cache", "inject", "-o", "f"]),
            ["--token-cache", "inject", "--out-file", "f"]
        );
        assert_eq!(
            rewritten(&["--output=json", "inject", "-o", "f"]),
            ["--output=json", "inject", "--out-file", "f"]
        );
    }

    #[test]
    fn other_commands_and_after_double_dash_are_untouched() {
        for args in [
            &["exec", "--id", "1", "--", "inject", "-o", "x"][..],
            &["reveal", "--name", "inject", "-o", "json"],
            &["--", "inject", "-o", "x"],
            &["inject", "--", "-o", "x"],
        ] {
            assert_eq!(rewritten(args), args);
        }
    }
}
