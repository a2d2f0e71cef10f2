//! Finding the one key a `get` or `reveal` means, by id or exact name, across every type the
//! user did not rule out; ambiguity and near misses become clear errors, never a guess.
//! Names and ids shown in the prompt and the messages are escaped (see `escape`): they come
//! from the server, or from an argument, and may carry terminal control sequences.

use futures_util::future::join_all;

use crate::api::{Client, Failure, Values};
use crate::cli::Selector;
use crate::error::{Error, Kind, Result};
use crate::escape::escape;
use crate::hints::Hints;
use crate::key::{Key, KeyType};
use crate::log;

mod candidates;

pub(crate) use candidates::{ambiguous, labels, not_picked};

/// The types to ask: the one named, or all of them.
pub(crate) fn types_for(named: Option<KeyType>) -> Vec<KeyType> {
    named.map_or_else(|| KeyType::ALL.to_vec(), |t| vec![t])
}

/// The answers of one lookup across types: a type the user did not name that the tenant
/// refuses is skipped (noted at `-v`: a tenant without that type sees it every run); a type
/// they named is never skipped; and a tenant that refuses every type is a credentials error.
pub(crate) struct Asked {
    named: bool,
    types: Vec<KeyType>,
    refused: Vec<KeyType>,
}

impl Asked {
    pub(crate) fn new(types: &[KeyType], named: bool) -> Asked {
        Asked {
            named,
            types: types.to_vec(),
            refused: Vec::new(),
        }
    }

    /// The types not refused so far.
    pub(crate) fn open(&self) -> Vec<KeyType> {
        self.types
            .iter()
            .copied()
            .filter(|t| !self.refused.contains(t))
            .collect()
    }

    /// One type's answer: its value, `None` for a skipped type, or the command's error.
    pub(crate) fn take<T>(
        &mut self,
        key_type: KeyType,
        result: Result<T, Failure>,
    ) -> Result<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(Failure::Refused { detail, .. }) if !self.named => {
                log::info(format_args!(
                    "skipping {key_type}: this tenant does not allow it ({detail})"
                ));
                if !self.refused.contains(&key_type) {
                    self.refused.push(key_type);
                }
                if self.refused.len() == self.types.len() {
                    return Err(Error::credentials(format!(
                        "the API refused every key type ({})",
                        self.types
                            .iter()
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .hint("check that the API client's role may read provisioning keys"));
                }
                Ok(None)
            }
            Err(Failure::Refused { status, detail }) => {
                let kind = if status == 403 {
                    Kind::Credentials
                } else {
                    Kind::Api
                };
                Err(Error::new(kind, format!("the API refused {key_type} keys: {detail}"))
                    .hint("check that the API client's role may read provisioning keys, and that this type is enabled for the tenant"))
            }
            Err(Failure::SearchRejected(detail)) => Err(Error::api(detail)),
            Err(Failure::Error(error)) => Err(error),
        }
    }
}

/// Every key of `types` (every type when none is given), sorted as `list` shows them.
pub(crate) async fn list_all(client: &Client, types: &[KeyType]) -> Result<Vec<Key>> {
    let named = !types.is_empty();
    let mut types = if named {
        types.to_vec()
    } else {
        KeyType::ALL.to_vec()
    };
    types.sort();
    types.dedup();
    let mut asked = Asked::new(&types, named);
    // A listing never hands out a value.
    let answers = join_all(
        types
            .iter()
            .map(|t| client.list_keys(*t, None, Values::Dropped)),
    )
    .await;
    let mut keys = Vec::new();
    for (key_type, answer) in types.iter().zip(answers) {
        if let Some(found) = asked.take(*key_type, answer)? {
            keys.extend(found);
        }
    }
    keys.sort_by(Key::display_order);
    // A listing larger than the hints hold would replace them with a different slice of
    // itself on every run, pushing out the ids lookups found: then lookups remember alone.
    if keys.len() <= crate::hints::MAX_ENTRIES {
        hints(client).remember(keys.iter().map(|k| (k.id.as_str(), k.key_type)));
    }
    Ok(keys)
}

/// What a lookup found: one key, or several candidates (sorted as `list` sorts them), which
/// the command resolves with a prompt or turns into [`ambiguous`].
pub(crate) enum Found {
    One(Box<Key>),
    Many {
        /// "name 'shared-name'", "id 60109"
        what: String,
        keys: Vec<Key>,
    },
}

/// The keys the selector means, by id or exact name, across every type it allows.
pub(crate) async fn find(client: &Client, selector: &Selector) -> Result<Found> {
    let named = selector.key_type.is_some();
    let types = types_for(selector.key_type);
    let found = match (&selector.id, &selector.name) {
        (Some(id), _) => by_id(client, id, &types, named).await,
        (None, Some(name)) => by_name(client, name, selector.ignore_case, &types, named).await,
        (None, None) => return Err(Error::usage("give --id or --name")),
    };
    let found = match (found, selector.key_type) {
        (Err(mut error), Some(key_type)) if error.kind == Kind::NotFound => {
            if let Some(hint) = elsewhere(client, selector, key_type).await {
                error.hints = vec![hint];
            }
            return Err(error);
        }
        (found, _) => found?,
    };
    Ok(match found {
        Found::One(key) => {
            remember(client, &key);
            Found::One(key)
        }
        Found::Many { what, mut keys } => {
            keys.sort_by(Key::display_order);
            Found::Many { what, keys }
        }
    })
}

/// Records where a key was found, so the next lookup of its id asks that type first.
pub(crate) fn remember(client: &Client, key: &Key) {
    hints(client).remember([(key.id.as_str(), key.key_type)]);
}

/// The remembered types of this tenant's keys (see `hints`).
pub(crate) fn hints(client: &Client) -> Hints {
    let settings = client.settings();
    Hints::open(&[&settings.api_base, &settings.customer_id])
}

async fn by_id(client: &Client, id: &str, types: &[KeyType], named: bool) -> Result<Found> {
    // One account of refusals for the whole lookup, the hinted request included: a type
    // refused there is skipped like any other, and only every type refused is an error.
    let mut asked = Asked::new(types, named);
    let mut rest = types.to_vec();
    // Without --type, the type this id was last found under is asked alone first: one GET
    // instead of one per type when the guess is right, one more round trip when it is not.
    let hinted = (!named)
        .then(|| hints(client).type_of(id))
        .flatten()
        .filter(|t| types.contains(t));
    if let Some(hinted) = hinted {
        log::debug(format_args!(
            "key {id} was last found under {hinted}; asking there first"
        ));
        let answer = client.get_key(hinted, id).await;
        if let Some(Some(key)) = asked.take(hinted, answer)? {
            return Ok(Found::One(Box::new(key)));
        }
        rest.retain(|t| *t != hinted);
    }
    let answers = join_all(rest.iter().map(|t| client.get_key(*t, id))).await;
    let mut found = Vec::new();
    for (key_type, answer) in rest.iter().zip(answers) {
        if let Some(Some(key)) = asked.take(*key_type, answer)? {
            found.push(key);
        }
    }
    if found.len() > 1 {
        return Ok(Found::Many {
            what: format!("id {id}"),
            keys: found,
        });
    }
    match found.pop() {
        Some(key) => Ok(Found::One(Box::new(key))),
        None => Err(not_found(
            client,
            format!("no provisioning key has id {id}{}", where_(types, named)),
        )),
    }
}

async fn by_name(
    client: &Client,
    name: &str,
    ignore_case: bool,
    types: &[KeyType],
    named: bool,
) -> Result<Found> {
    let lowered = name.to_lowercase();
    // For the second did-you-mean: the name with runs of whitespace collapsed and the ends
    // trimmed, in the case the lookup compares in.
    let fold = |text: &str| {
        let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if ignore_case {
            squeezed.to_lowercase()
        } else {
            squeezed
        }
    };
    let folded = fold(name);
    let same = |key: &Key| {
        if ignore_case {
            key.name.to_lowercase() == lowered
        } else {
            key.name == name
        }
    };
    // First ZPA's own `name EQ` search, one request per type. Its rules for case and
    // punctuation are not documented, so names are re-checked here, and its misses are
    // trusted only once it has found this very name under some type. Case-insensitive
    // lookups skip it: a case-sensitive server search would hide case variants.
    let mut exact = Vec::new();
    let mut asked = Asked::new(types, named);
    let mut to_list: Vec<KeyType> = types.to_vec();
    if !ignore_case {
        let answers = join_all(
            types
                .iter()
                .map(|t| client.list_keys(*t, Some(name), Values::Kept)),
        )
        .await;
        let mut rejected = Vec::new();
        for (key_type, answer) in types.iter().zip(answers) {
            match answer {
                Err(Failure::SearchRejected(detail)) => {
                    log::debug(format_args!(
                        "{key_type}: the server could not search for this name ({detail})"
                    ));
                    rejected.push(*key_type);
                }
                other => {
                    if let Some(keys) = asked.take(*key_type, other)? {
                        exact.extend(keys.into_iter().filter(|k| same(k)));
                    }
                }
            }
        }
        if !exact.is_empty() {
            to_list = rejected;
        } else {
            // A type refused to the search is refused to the listing too.
            to_list = asked.open();
            log::debug(format_args!(
                "the server search found no key named exactly '{}'; listing every key to be sure",
                escape(name)
            ));
        }
    }
    // Keys whose names differ only in case, and only in spacing: the did-you-means.
    let mut near: Vec<Key> = Vec::new();
    let mut spaced: Vec<Key> = Vec::new();
    if !to_list.is_empty() {
        let answers = join_all(
            to_list
                .iter()
                .map(|t| client.list_keys(*t, None, Values::Kept)),
        )
        .await;
        for (key_type, answer) in to_list.iter().zip(answers) {
            if let Some(keys) = asked.take(*key_type, answer)? {
                for key in keys {
                    if same(&key) {
                        if !exact.iter().any(|k: &Key| k.id == key.id) {
                            exact.push(key);
                        }
                    } else if key.name.to_lowercase() == lowered {
                        near.push(key);
                    } else if fold(&key.name) == folded {
                        spaced.push(key);
                    }
                }
            }
        }
    }
    if exact.len() > 1 {
        return Ok(Found::Many {
            what: format!("name '{}'", escape(name)),
            keys: exact,
        });
    }
    if let Some(key) = exact.pop() {
        return Ok(Found::One(Box::new(key)));
    }
    let place = where_(types, named);
    let mut error = Error::new(
        Kind::NotFound,
        format!("no provisioning key is named '{}'{place}", escape(name)),
    );
    near.sort_by(Key::display_order);
    spaced.sort_by(Key::display_order);
    let hint = match (near.first(), spaced.first()) {
        (Some(candidate), _) => Some((
            candidate,
            "names match exactly and case-sensitively; pass --ignore-case to relax case",
        )),
        (None, Some(candidate)) => Some((
            candidate,
            "names match exactly, spaces included: repeated, leading and trailing spaces count",
        )),
        (None, None) => None,
    };
    if let Some((candidate, hint)) = hint {
        error.message.push_str(&format!(
            "; did you mean '{}' (id {})?",
            escape(&candidate.name),
            escape(&candidate.id)
        ));
        return Err(error.hint(hint));
    }
    Err(not_found(client, error.message))
}

fn where_(types: &[KeyType], named: bool) -> String {
    if named {
        format!(" under {}", types[0])
    } else {
        String::new()
    }
}

/// After a lookup under the type the user named found nothing: the hint that the key is there
/// under another type, if it is (a key's type is easy to get wrong: edge-prod is a Service
/// Edge key). Asked only on failure, one request per other type, by id or by ZPA's own name
/// search; a failure to ask leaves the original error as it is.
async fn elsewhere(client: &Client, selector: &Selector, named: KeyType) -> Option<String> {
    let others: Vec<KeyType> = KeyType::ALL.into_iter().filter(|t| *t != named).collect();
    let by_id = selector.id.is_some();
    let mut keys: Vec<Key> = match (&selector.id, &selector.name) {
        (Some(id), _) => join_all(others.iter().map(|t| client.get_key(*t, id)))
            .await
            .into_iter()
            .filter_map(|a| a.ok().flatten())
            .collect(),
        (None, Some(name)) => {
            let same = |key: &Key| {
                key.name == *name
                    || (selector.ignore_case && key.name.to_lowercase() == name.to_lowercase())
            };
            join_all(
                others
                    .iter()
                    .map(|t| client.list_keys(*t, Some(name), Values::Dropped)),
            )
            .await
            .into_iter()
            .filter_map(Result::ok)
            .flatten()
            .filter(|k| same(k))
            .collect()
        }
        (None, None) => return None,
    };
    keys.sort_by(Key::display_order);
    match keys.as_slice() {
        [] => None,
        [key] => {
            let label = if by_id {
                format!("key {}", escape(&key.id))
            } else {
                format!("'{}' (id {})", escape(&key.name), escape(&key.id))
            };
            Some(format!(
                "{label} is a {} key: use --type {}, or leave --type out",
                key.key_type,
                key.key_type.alias()
            ))
        }
        keys => Some(format!(
            "there are keys {} under {}: give one of these types to --type, or leave --type out",
            if by_id {
                "with that id"
            } else {
                "of that name"
            },
            keys.iter()
                .map(|k| format!("{} (id {})", k.key_type, escape(&k.id)))
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

fn not_found(client: &Client, message: String) -> Error {
    let mut error = Error::new(Kind::NotFound, message);
    if let Some(mt) = &client.settings().microtenant_id {
        error = error.hint(format!(
            "only keys of microtenant {mt} are visible with --microtenant-id / ZPA_MICROTENANT_ID"
        ));
    }
    error.hint("run 'zpakey list' to see the keys this API client can read")
}
