//! Which credential a sign-in uses, located but not read: a secret or key from the
//! environment (never both), else the profile's key, else the profile's secret, else a prompt
//! when a person is there. Only the winner is ever read, so a profile's secret command runs
//! only when its secret is the one used.

use secrecy::SecretString;

use super::profile::expand_home;
use super::resolver::{Located, Resolver, var};
use super::secrets::{NamedBy, SecretFile, SecretSource};
use super::{OneApiCredential, Origin};
use crate::error::{Error, Result};

impl Resolver<'_> {
    /// A secret from `NAME` or the file `NAME_FILE` names; never a flag.
    pub(super) fn env_secret(
        &self,
        name: &'static str,
        file_var: &'static str,
    ) -> Result<Option<Located>> {
        let direct = var(self.env, name)?;
        let file = self.env.var_os(file_var);
        match (direct, file) {
            (Some(_), Some(_)) => Err(Error::usage(format!(
                "both {name} and {file_var} are set; set only one"
            ))),
            (Some(value), None) => Ok(Some((
                SecretSource::Value(SecretString::from(value)),
                Origin::Env(name.to_owned()),
            ))),
            (None, Some(path)) => Ok(Some((
                SecretSource::File(SecretFile {
                    what: file_var.to_owned(),
                    path: path.into(),
                    named_by: NamedBy::FileVar { set_instead: name },
                }),
                Origin::Env(file_var.to_owned()),
            ))),
            (None, None) => Ok(None),
        }
    }

    /// The profile's client secret reference: a file or a command.
    pub(super) fn profile_secret(&self) -> Result<Option<Located>> {
        let Some((name, profile)) = &self.profile else {
            return Ok(None);
        };
        let origin = Origin::Profile(name.clone());
        match (&profile.client_secret_file, &profile.client_secret_command) {
            (Some(_), Some(_)) => Err(Error::usage(format!(
                "profile '{name}' sets both client_secret_file and client_secret_command; keep one"
            ))),
            (Some(path), None) => Ok(Some((
                SecretSource::File(SecretFile {
                    what: format!("the client_secret_file of profile '{name}'"),
                    path: expand_home(path, self.env),
                    named_by: NamedBy::Profile,
                }),
                origin,
            ))),
            (None, Some(argv)) => Ok(Some((
                SecretSource::Command {
                    profile: name.clone(),
                    argv: argv.clone(),
                },
                origin,
            ))),
            (None, None) => Ok(None),
        }
    }

    /// `ZSCALER_PRIVATE_KEY` holds PEM text or a path, as the SDKs accept.
    pub(super) fn env_private_key(&self) -> Result<Option<Located>> {
        let origin = Origin::Env("ZSCALER_PRIVATE_KEY".into());
        Ok(var(self.env, "ZSCALER_PRIVATE_KEY")?.map(|value| {
            let source = if value.contains("-----BEGIN") {
                SecretSource::Value(SecretString::from(value))
            } else {
                SecretSource::File(SecretFile {
                    what: "ZSCALER_PRIVATE_KEY".to_owned(),
                    path: value.into(),
                    named_by: NamedBy::PrivateKeyVar,
                })
            };
            (source, origin)
        }))
    }

    pub(super) fn profile_private_key(&self) -> Option<Located> {
        let (name, profile) = self.profile.as_ref()?;
        let path = profile.private_key_file.as_ref()?;
        Some((
            SecretSource::File(SecretFile {
                what: format!("the private_key_file of profile '{name}'"),
                path: expand_home(path, self.env),
                named_by: NamedBy::Profile,
            }),
            Origin::Profile(name.clone()),
        ))
    }

    /// Asks the person at the terminal, when there is one and the client is known.
    pub(super) fn prompt_for(&self, name: &'static str, client_known: bool) -> Option<Located> {
        (self.can_prompt && client_known).then_some((SecretSource::Prompt(name), Origin::Prompt))
    }

    /// Which OneAPI credential wins: the environment's secret or key (never both), else the
    /// profile's key, else the profile's secret, else a prompt. Only the winner is ever read.
    pub(super) fn oneapi_credential(
        &self,
        client_known: bool,
    ) -> Result<Option<(OneApiCredential<SecretSource>, Origin)>> {
        let secret = self.env_secret("ZSCALER_CLIENT_SECRET", "ZSCALER_CLIENT_SECRET_FILE")?;
        let key = self.env_private_key()?;
        let (secret, key) = match (secret, key) {
            (Some(_), Some(_)) => {
                return Err(Error::usage(
                    "both a client secret and ZSCALER_PRIVATE_KEY are set; set only one",
                ));
            }
            (None, None) => match self.profile_private_key() {
                Some(key) => (None, Some(key)),
                None => (
                    self.profile_secret()?
                        .or_else(|| self.prompt_for("ZSCALER_CLIENT_SECRET", client_known)),
                    None,
                ),
            },
            found => found,
        };
        Ok(match (secret, key) {
            (_, Some((source, origin))) => {
                self.report("credential", "private key: set", origin.clone());
                Some((OneApiCredential::PrivateKey(source), origin))
            }
            (Some((source, origin)), None) => {
                self.report("credential", "client secret: set", origin.clone());
                Some((OneApiCredential::Secret(source), origin))
            }
            (None, None) => None,
        })
    }
}
