//! Questions for the person at the terminal, asked only by commands (never from deep inside
//! the client), on a blocking thread so that Ctrl-C is handled at once.

use secrecy::SecretString;

use crate::error::{Error, Kind, Result};

/// The hidden prompt for a secret that is not set anywhere.
pub(crate) async fn secret(name: &'static str) -> Result<SecretString> {
    let answer = tokio::task::spawn_blocking(move || {
        // An empty Enter is asked again, saying why (dialoguer would ask again silently,
        // which looks like a hang).
        dialoguer::Password::new()
            .with_prompt(format!("{name} (not set; input hidden)"))
            .allow_empty_password(true)
            .validate_with(move |input: &String| {
                if input.is_empty() {
                    Err(format!("{name} cannot be empty; type it, or press Ctrl-C"))
                } else {
                    Ok(())
                }
            })
            .interact()
    })
    .await
    .map_err(|e| Error::internal(format!("the secret prompt failed: {e}")))?;
    answer
        .map(SecretString::from)
        .map_err(|_| Error::new(Kind::Interrupted, "interrupted"))
}

/// The pick among several matching keys: `Some(index)`, or `None` when the person declines
/// (Esc or q).
pub(crate) async fn pick(question: String, labels: Vec<String>) -> Result<Option<usize>> {
    tokio::task::spawn_blocking(move || {
        dialoguer::Select::new()
            .with_prompt(question)
            .items(&labels)
            .default(0)
            .interact_opt()
    })
    .await
    .map_err(|e| Error::internal(format!("the pick prompt failed: {e}")))?
    .map_err(|_| Error::new(Kind::Interrupted, "interrupted"))
}
