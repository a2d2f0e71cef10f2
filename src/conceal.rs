//! Masks a provisioning key in the output of the command `zpakey exec` runs, because that
//! command may print its environment or echo the key into a CI log. Output is relayed as it
//! arrives, so an occurrence split across reads must still be caught without holding back
//! anything that cannot be part of one (an interactive prompt must show at once).

use zeroize::{Zeroize, Zeroizing};

/// What each occurrence of a secret becomes.
pub(crate) const CONCEALED: &str = "<concealed by zpakey>";

/// Replaces every occurrence of the secrets in a stream fed to it chunk by chunk.
pub(crate) struct Concealer {
    matcher: Matcher,
    /// The tail of the stream that could still be the start of a secret. Allocated once at its
    /// largest size so it never moves (a reallocation would leave an unwiped copy behind).
    held: Zeroizing<Vec<u8>>,
}

/// The secrets, and what is derived from them to scan quickly.
struct Matcher {
    /// Longest first, so the first one that fits is the longest match at a position.
    secrets: Vec<Zeroizing<Vec<u8>>>,
    /// Which bytes begin a secret: output is searched for these, and copied in bulk between.
    starts: [bool; 256],
    longest: usize,
}

/// What the stream does at one position.
enum Step {
    /// A secret of this length starts here, and no longer one can.
    Match(usize),
    /// No secret starts here.
    Literal,
    /// The rest of the stream is a proper prefix of a secret: only more data can tell.
    Wait,
}

impl Concealer {
    /// `secrets`: the byte strings to conceal (the key value; empty ones ignored).
    pub(crate) fn new(secrets: &[&[u8]]) -> Concealer {
        let mut kept: Vec<Zeroizing<Vec<u8>>> = Vec::with_capacity(secrets.len());
        for secret in secrets {
            if !secret.is_empty() && !kept.iter().any(|k| k.as_slice() == *secret) {
                kept.push(Zeroizing::new(secret.to_vec()));
            }
        }
        kept.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut starts = [false; 256];
        for secret in &kept {
            if let Some(&first) = secret.first() {
                starts[usize::from(first)] = true;
            }
        }
        let longest = kept.first().map_or(0, |s| s.len());
        Concealer {
            matcher: Matcher {
                secrets: kept,
                starts,
                longest,
            },
            // What is held is always shorter than the longest secret.
            held: Zeroizing::new(Vec::with_capacity(longest)),
        }
    }

    /// Takes the next chunk read from the child; appends to `out` everything that can no
    /// longer be part of an occurrence, with occurrences replaced.
    pub(crate) fn feed(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        if self.held.is_empty() {
            let stop = self.matcher.run(chunk, 0, chunk.len(), true, out);
            self.held.extend_from_slice(&chunk[stop..]);
            return;
        }
        // An occurrence starting in the held bytes ends within `longest` bytes of the chunk,
        // so only that much of the chunk is copied next to them; the rest is scanned in place.
        let reach = chunk.len().min(self.matcher.longest);
        let held_len = self.held.len();
        let mut joined = Zeroizing::new(Vec::with_capacity(held_len + reach));
        joined.extend_from_slice(&self.held);
        joined.extend_from_slice(&chunk[..reach]);
        self.held.zeroize();
        let stop = self.matcher.run(&joined, 0, held_len, true, out);
        if stop < held_len {
            // Still undecided, so `joined` is the whole stream from there (a cut-off chunk
            // would have made it longer than any secret).
            debug_assert_eq!(reach, chunk.len());
            self.held.extend_from_slice(&joined[stop..]);
            return;
        }
        let stop = self
            .matcher
            .run(chunk, stop - held_len, chunk.len(), true, out);
        self.held.extend_from_slice(&chunk[stop..]);
    }

    /// End of stream: appends what was held back.
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>) {
        // A shorter secret may still end inside what was held for a longer one.
        self.matcher.run(&self.held, 0, self.held.len(), false, out);
        self.held.zeroize();
    }
}

impl Matcher {
    /// Writes `data[start..limit]` to `out` with occurrences replaced (one may run past
    /// `limit`), and returns where it stopped: at or past `limit`, or before `limit` where it
    /// must wait for more data. `more` says whether data may follow `data`.
    fn run(&self, data: &[u8], start: usize, limit: usize, more: bool, out: &mut Vec<u8>) -> usize {
        let mut at = start;
        while at < limit {
            let candidate = data[at..limit]
                .iter()
                .position(|&b| self.starts[usize::from(b)])
                .map_or(limit, |n| at + n);
            out.extend_from_slice(&data[at..candidate]);
            at = candidate;
            if at == limit {
                break;
            }
            match self.step(&data[at..], more) {
                Step::Wait => return at,
                Step::Match(len) => {
                    out.extend_from_slice(CONCEALED.as_bytes());
                    at += len;
                }
                Step::Literal => {
                    out.push(data[at]);
                    at += 1;
                }
            }
        }
        at
    }

    /// Decides the position where `rest` begins.
    fn step(&self, rest: &[u8], more: bool) -> Step {
        for secret in &self.secrets {
            if secret.len() > rest.len() {
                // The longest match wins, so a longer secret that may still match must be
                // waited for even when a shorter one already does.
                if more && secret.starts_with(rest) {
                    return Step::Wait;
                }
            } else if rest.starts_with(secret) {
                return Step::Match(secret.len());
            }
        }
        Step::Literal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KEY: &[u8] = b"2|api.private.zscaler.com|Xk9qP0ZtR2w=";

    /// Feeds `chunks` one by one, returning what each feed let out and what `finish` added.
    fn stream(secrets: &[&[u8]], chunks: &[&[u8]]) -> (Vec<Vec<u8>>, Vec<u8>) {
        let mut concealer = Concealer::new(secrets);
        let mut outs = Vec::new();
        for chunk in chunks {
            let mut out = Vec::new();
            concealer.feed(chunk, &mut out);
            outs.push(out);
        }
        let mut last = Vec::new();
        concealer.finish(&mut last);
        (outs, last)
    }

    fn concealed(secrets: &[&[u8]], chunks: &[&[u8]]) -> String {
        let (outs, last) = stream(secrets, chunks);
        let mut all = outs.concat();
        all.extend(last);
        String::from_utf8(all).unwrap()
    }

    /// The one-shot reference: at each position, the longest secret starting there is
    /// replaced and the scan goes on after it.
    fn replace_all(data: &[u8], secrets: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < data.len() {
            let found = secrets
                .iter()
                .filter(|s| !s.is_empty() && data[at..].starts_with(s))
                .map(|s| s.len())
                .max();
            match found {
                Some(len) => {
                    out.extend_from_slice(CONCEALED.as_bytes());
                    at += len;
                }
                None => {
                    out.push(data[at]);
                    at += 1;
                }
            }
        }
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn occurrence_inside_one_chunk() {
        let line = [b"ZPA_PROVISION_KEY=".as_slice(), KEY, b"\n"].concat();
        assert_eq!(
            concealed(&[KEY], &[&line]),
            "ZPA_PROVISION_KEY=<concealed by zpakey>\n"
        );
    }

    #[test]
    fn occurrence_split_across_two_and_three_chunks() {
        assert_eq!(
            concealed(
                &[KEY],
                &[b"key: 2|api.priv", b"ate.zscaler.com|Xk9qP0ZtR2w= ok"]
            ),
            "key: <concealed by zpakey> ok"
        );
        assert_eq!(
            concealed(
                &[KEY],
                &[b"[2|api", b".private.zscaler.com|Xk9q", b"P0ZtR2w=]\n"]
            ),
            "[<concealed by zpakey>]\n"
        );
        // The held bytes complete with the first byte of the next chunk.
        assert_eq!(
            concealed(&[KEY], &[&KEY[..KEY.len() - 1], b"=", b"!"]),
            "<concealed by zpakey>!"
        );
    }

    #[test]
    fn occurrence_split_byte_by_byte() {
        let data = [b"a".as_slice(), KEY, b"b", KEY].concat();
        let chunks: Vec<&[u8]> = data.chunks(1).collect();
        assert_eq!(
            concealed(&[KEY], &chunks),
            "a<concealed by zpakey>b<concealed by zpakey>"
        );
    }

    #[test]
    fn adjacent_occurrences() {
        let data = [KEY, KEY, KEY].concat();
        let expected = CONCEALED.repeat(3);
        assert_eq!(concealed(&[KEY], &[&data]), expected);
        let (first, second) = data.split_at(KEY.len() + 5);
        assert_eq!(concealed(&[KEY], &[first, second]), expected);
    }

    #[test]
    fn prefix_of_the_key_at_the_end_is_output_as_is() {
        let (outs, last) = stream(&[KEY], &[b"partial: 2|api.priv"]);
        assert_eq!(outs, [b"partial: ".to_vec()]);
        assert_eq!(last, b"2|api.priv");
        assert_eq!(
            concealed(&[KEY], &[&KEY[..KEY.len() - 1]]).as_bytes(),
            &KEY[..KEY.len() - 1]
        );
    }

    #[test]
    fn self_overlapping_prefixes() {
        assert_eq!(concealed(&[b"aab"], &[b"aaab"]), "a<concealed by zpakey>");
        assert_eq!(
            concealed(&[b"aab"], &[b"a", b"a", b"a", b"b"]),
            "a<concealed by zpakey>"
        );
        assert_eq!(
            concealed(&[b"abab"], &[b"aba", b"bab", b"ab"]),
            "<concealed by zpakey><concealed by zpakey>"
        );
        assert_eq!(
            concealed(&[b"abac"], &[b"abab", b"ac"]),
            "ab<concealed by zpakey>"
        );
        // Non-overlapping, left to right: the second, overlapping occurrence is not one.
        assert_eq!(
            concealed(&[b"aa"], &[b"a", b"a", b"a"]),
            "<concealed by zpakey>a"
        );
    }

    #[test]
    fn longest_secret_wins() {
        let secrets: &[&[u8]] = &[b"ab", b"abcd"];
        assert_eq!(concealed(secrets, &[b"xabcdx"]), "x<concealed by zpakey>x");
        assert_eq!(
            concealed(secrets, &[b"xab", b"cd"]),
            "x<concealed by zpakey>"
        );
        assert_eq!(
            concealed(secrets, &[b"xab", b"cx"]),
            "x<concealed by zpakey>cx"
        );
        // At the end, the shorter secret inside what was held for the longer one is caught.
        assert_eq!(concealed(secrets, &[b"xab"]), "x<concealed by zpakey>");
        assert_eq!(concealed(secrets, &[b"xabc"]), "x<concealed by zpakey>c");
    }

    #[test]
    fn bytes_need_not_be_utf8() {
        let secret: &[u8] = b"\xff\x00k";
        assert_eq!(
            stream(&[secret], &[b"\xc3\xff", b"\x00k\xc3"]),
            (
                vec![b"\xc3".to_vec(), [CONCEALED.as_bytes(), b"\xc3"].concat()],
                vec![]
            )
        );
    }

    #[test]
    fn empty_secrets_are_ignored() {
        assert_eq!(concealed(&[], &[b"abc"]), "abc");
        assert_eq!(concealed(&[b""], &[b"abc", b""]), "abc");
        assert_eq!(
            concealed(&[b"", b"b"], &[b"abc"]),
            "a<concealed by zpakey>c"
        );
    }

    #[test]
    fn output_is_not_delayed_when_the_tail_cannot_start_the_key() {
        let mut concealer = Concealer::new(&[KEY]);
        let mut out = Vec::new();
        concealer.feed(b"Password: ", &mut out);
        assert_eq!(out, b"Password: ");
        out.clear();
        // `2|` could start the key; `2|x` cannot, and neither can anything after it.
        concealer.feed(b"Retry 2|", &mut out);
        assert_eq!(out, b"Retry ");
        out.clear();
        concealer.feed(b"x? ", &mut out);
        assert_eq!(out, b"2|x? ");
        out.clear();
        // A byte that begins the key but is followed by one that cannot continue it.
        concealer.feed(b"2", &mut out);
        assert_eq!(out, b"");
        concealer.feed(b"2", &mut out);
        assert_eq!(out, b"2");
        out.clear();
        concealer.finish(&mut out);
        assert_eq!(out, b"2");
        assert!(concealer.held.is_empty());
    }

    /// Bytes that appear in neither [`CONCEALED`] nor each other's replacements, so no secret
    /// can be formed by the replacement text itself, and few enough to repeat and overlap.
    fn secret() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop::sample::select(vec![b'x', b'X', b'|', b'0', 0x00, 0xff]),
            1..8,
        )
    }

    /// Filler biased towards the secrets' bytes, so near misses and overlaps are common.
    fn filler() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(vec![b'x', b'X', b'|', b'0', 0xff, b'\n']),
                1 => any::<u8>(),
            ],
            0..10,
        )
    }

    /// A stream made of filler and copies of the secrets, and cut points for chunking it.
    fn scenario(secrets: usize) -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<u8>, Vec<usize>)> {
        (
            prop::collection::vec(secret(), 1..=secrets),
            prop::collection::vec((filler(), any::<prop::sample::Index>()), 0..8),
            prop::collection::vec(any::<usize>(), 0..12),
        )
            .prop_map(|(secrets, pieces, cuts)| {
                let mut data = Vec::new();
                for (filler, which) in pieces {
                    data.extend(filler);
                    // Half the time no copy, so streams without any occurrence appear too.
                    let index = which.index(secrets.len() * 2);
                    if let Some(secret) = secrets.get(index) {
                        data.extend(secret);
                    }
                }
                (secrets, data, cuts)
            })
    }

    fn chunked<'a>(data: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut at = 0;
        for cut in cuts {
            chunks.push(&data[at..cut]);
            at = cut;
        }
        chunks.push(&data[at..]);
        chunks
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn any_chunking_conceals_like_one_shot((secrets, data, cuts) in scenario(1)) {
            let secret = secrets[0].as_slice();
            prop_assert!(!secret.iter().any(|b| CONCEALED.as_bytes().contains(b)));
            let chunks = chunked(&data, &cuts);
            let (outs, last) = stream(&[secret], &chunks);
            let mut all = outs.concat();
            all.extend(last);
            prop_assert_eq!(&all, &replace_all(&data, &[secret]));
            prop_assert!(!contains(&all, secret));
        }

        #[test]
        fn several_secrets_conceal_like_one_shot((secrets, data, cuts) in scenario(4)) {
            let secrets: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
            let chunks = chunked(&data, &cuts);
            let (outs, last) = stream(&secrets, &chunks);
            let mut all = outs.concat();
            all.extend(last);
            prop_assert_eq!(&all, &replace_all(&data, &secrets));
            for secret in &secrets {
                prop_assert!(!contains(&all, secret));
            }
        }

        /// Only the longest tail that could start a secret is held back after each chunk.
        #[test]
        fn holds_back_only_a_possible_start((secrets, data, cuts) in scenario(2)) {
            let secrets: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
            let mut concealer = Concealer::new(&secrets);
            let capacity = concealer.held.capacity();
            let mut out = Vec::new();
            for chunk in chunked(&data, &cuts) {
                concealer.feed(chunk, &mut out);
                // Never reallocated, so no unwiped copy of held bytes is left behind.
                prop_assert_eq!(concealer.held.capacity(), capacity);
                let held = concealer.held.as_slice();
                prop_assert!(held.len() < concealer.matcher.longest.max(1));
                if !held.is_empty() {
                    prop_assert!(secrets.iter().any(|s| s.len() > held.len() && s.starts_with(held)));
                }
            }
        }
    }
}
