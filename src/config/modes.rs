//! The two sign-in modes, OneAPI and the legacy ZPA API: which client, credential, cloud and
//! URLs each uses. Every setting is reported as soon as it is known, and those that do not
//! depend on the credential (cloud, token URL, API URL) are worked out even when a credential
//! is missing, so `auth status` shows all it can when it is needed most; the errors still
//! come in the same order.

use reqwest::Url;

use super::clouds;
use super::profile::Profile;
use super::resolver::Resolver;
use super::secrets::SecretSource;
use super::urls::checked_url;
use super::{Mode, Origin};
use crate::error::{Error, Result};

/// A setting's value and where it came from, if it is set.
type Found = Option<(String, Origin)>;

impl Resolver<'_> {
    pub(super) fn oneapi_mode(&self, no_customer: bool) -> Result<(Mode<SecretSource>, String)> {
        let client_id = self.setting(&["ZSCALER_CLIENT_ID"], |p| p.client_id.as_ref())?;
        if let Some((id, origin)) = &client_id {
            self.report("client_id", id.clone(), origin.clone());
        }
        let credential = self.oneapi_credential(client_id.is_some())?;
        let vanity = self.setting(&["ZSCALER_VANITY_DOMAIN"], |p| p.vanity_domain.as_ref())?;
        let auth_url = self.url("auth_url", "--auth-url", &self.args.auth_url, |p| {
            p.auth_url.as_ref()
        })?;

        let mut absent = Vec::new();
        if client_id.is_none() {
            absent.push("ZSCALER_CLIENT_ID");
        }
        if credential.is_none() {
            absent.push("ZSCALER_CLIENT_SECRET");
        }
        if vanity.is_none() && auth_url.is_none() {
            absent.push("ZSCALER_VANITY_DOMAIN");
        }
        if no_customer {
            absent.push("ZPA_CUSTOMER_ID");
        }
        let endpoints = self.oneapi_endpoints(vanity, auth_url);
        let (Some((client_id, _)), Some((credential, _))) = (client_id, credential) else {
            return Err(self.missing(&absent, false));
        };
        if !absent.is_empty() {
            return Err(self.missing(&absent, false));
        }
        let (token, api_base) = endpoints?;
        // Only reached with a vanity domain or --auth-url (else it is among `absent` above).
        let Some((token_url, documented_audience)) = token else {
            return Err(self.missing(&["ZSCALER_VANITY_DOMAIN"], false));
        };
        let mode = Mode::OneApi {
            client_id,
            credential,
            token_url,
            documented_audience,
        };
        Ok((mode, api_base))
    }

    /// OneAPI's token URL (with the assertion audience ZIdentity documents) and API base, and
    /// the cloud they follow from, each reported as soon as it is known. No token URL when
    /// neither a vanity domain nor `--auth-url` is set.
    fn oneapi_endpoints(
        &self,
        vanity: Found,
        auth_url: Found,
    ) -> Result<(Option<(String, String)>, String)> {
        let cloud = self.cloud("ZSCALER_CLOUD")?;
        self.report_cloud(&cloud, clouds::ONEAPI[0].name);
        let hosts = match &cloud {
            None => Ok(&clouds::ONEAPI[0]),
            Some((name, origin)) => clouds::oneapi(name).ok_or_else(|| {
                Error::usage(format!(
                    "{origin} '{name}' is not a OneAPI cloud zpakey knows"
                ))
                .hint(format!(
                    "use {}; for another cloud pass --api-url and --auth-url",
                    clouds::names(&clouds::ONEAPI, |c| c.name)
                ))
            }),
        };
        let api_base = self.api_base(hosts.as_ref().ok().map(|h| h.api_host), &cloud);
        let hosts = hosts?;
        let documented_audience = vanity
            .as_ref()
            .map(|(vanity, _)| format!("https://{vanity}.{}", hosts.login_domain));
        let token = match (auth_url, vanity) {
            (Some(found), _) => Some(found),
            (None, Some((vanity, origin))) => {
                if vanity.is_empty()
                    || !vanity
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return Err(Error::usage(format!(
                        "{origin} must be the bare vanity name (as in https://<name>.zslogin.net), not '{vanity}'"
                    )));
                }
                Some((
                    format!("https://{vanity}.{}/oauth2/v1/token", hosts.login_domain),
                    origin,
                ))
            }
            (None, None) => None,
        };
        let token = token.map(|(token_url, origin)| {
            self.report("token_url", token_url.clone(), origin);
            let audience = documented_audience.unwrap_or_else(|| {
                Url::parse(&token_url)
                    .map(|u| u.origin().ascii_serialization())
                    .unwrap_or_default()
            });
            (token_url, audience)
        });
        // A known cloud always has a host, so the fallback is what api_base found anyway.
        let api_base = api_base?.unwrap_or_else(|| hosts.api_host.to_owned());
        Ok((token, api_base))
    }

    pub(super) fn legacy_mode(&self, no_customer: bool) -> Result<(Mode<SecretSource>, String)> {
        let client_id = self.setting(&["ZPA_CLIENT_ID"], |p| p.client_id.as_ref())?;
        if let Some((id, origin)) = &client_id {
            self.report("client_id", id.clone(), origin.clone());
        }
        let secret = match self.env_secret("ZPA_CLIENT_SECRET", "ZPA_CLIENT_SECRET_FILE")? {
            Some(found) => Some(found),
            None => self
                .profile_secret()?
                .or_else(|| self.prompt_for("ZPA_CLIENT_SECRET", client_id.is_some())),
        };
        if let Some((_, origin)) = &secret {
            self.report("credential", "client secret: set", origin.clone());
        }
        let mut absent = Vec::new();
        if client_id.is_none() {
            absent.push("ZPA_CLIENT_ID");
        }
        if secret.is_none() {
            absent.push("ZPA_CLIENT_SECRET");
        }
        if no_customer {
            absent.push("ZPA_CUSTOMER_ID");
        }
        let api_base = self.legacy_endpoints();
        let (Some((client_id, _)), Some((client_secret, _))) = (client_id, secret) else {
            return Err(self.missing(&absent, true));
        };
        if !absent.is_empty() {
            return Err(self.missing(&absent, true));
        }
        let mode = Mode::Legacy {
            client_id,
            client_secret,
        };
        Ok((mode, api_base?))
    }

    /// The legacy API base (where sign-in also goes) and the cloud it follows from, reported.
    fn legacy_endpoints(&self) -> Result<String> {
        let cloud = self.cloud("ZPA_CLOUD")?;
        self.report_cloud(&cloud, clouds::LEGACY[0].name);
        let host = match &cloud {
            None => Ok(&clouds::LEGACY[0]),
            Some((name, origin)) => clouds::legacy(name).ok_or_else(|| {
                Error::usage(format!("{origin} '{name}' is not a ZPA cloud zpakey knows")).hint(
                    format!(
                        "use {}; for another host pass --api-url",
                        clouds::names(&clouds::LEGACY, |c| c.name)
                    ),
                )
            }),
        };
        let api_base = self.api_base(host.as_ref().ok().map(|h| h.api_host), &cloud);
        if let Ok(Some(base)) = &api_base {
            self.report("token_url", format!("{base}/signin"), Origin::Default);
        }
        let host = host?;
        // A known cloud always has a host, so the fallback is what api_base found anyway.
        Ok(api_base?.unwrap_or_else(|| host.api_host.to_owned()))
    }

    /// Reports the cloud named (known or not: `auth status` shows what is set), or the
    /// default one.
    fn report_cloud(&self, cloud: &Found, default: &'static str) {
        match cloud {
            Some((name, origin)) => self.report("cloud", name.clone(), origin.clone()),
            None => self.report("cloud", default, Origin::Default),
        }
    }

    /// The API base: `--api-url` (or the profile's), else the cloud's host (`None` for a cloud
    /// zpakey does not know); reported.
    fn api_base(&self, cloud_host: Option<&str>, cloud: &Found) -> Result<Option<String>> {
        let found = self.url("api_url", "--api-url", &self.args.api_url, |p| {
            p.api_url.as_ref()
        })?;
        let found = found.or_else(|| {
            let origin = cloud.as_ref().map_or(Origin::Default, |(_, o)| o.clone());
            cloud_host.map(|host| (host.to_owned(), origin))
        });
        Ok(found.map(|(base, origin)| {
            self.report("api_url", base.clone(), origin);
            base
        }))
    }

    fn cloud(&self, var_name: &str) -> Result<Found> {
        if let Some(c) = &self.args.cloud {
            return Ok(Some((c.clone(), Origin::Flag("--cloud".into()))));
        }
        self.setting(&[var_name], |p| p.cloud.as_ref())
    }

    fn url(
        &self,
        id: &str,
        flag: &str,
        arg: &Option<String>,
        pick: impl Fn(&Profile) -> Option<&String>,
    ) -> Result<Found> {
        let found = match arg {
            Some(url) => Some((url.clone(), self.flag_origin(id, flag))),
            None => self.profile_value(pick),
        };
        match found {
            Some((url, origin)) => {
                // Named as given, as the cloud settings are: the flag, the variable (its name
                // from clap's own table), or the profile's key (the same as the option's id).
                let what = match &origin {
                    Origin::Profile(name) => format!("{id} of profile '{name}'"),
                    given => given.to_string(),
                };
                Ok(Some((checked_url(&what, &url)?, origin)))
            }
            None => Ok(None),
        }
    }
}
