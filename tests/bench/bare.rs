//! The practical floor of a big list: the same requests zpakey makes, sent by the leanest
//! client this benchmark can write, so the simulator's own time to build and send 7 MB of
//! pages counts in the floor instead of in zpakey's overhead.
//!
//! The bare client signs in, asks the first page of every type at once, then every further
//! page at once (it is told the page counts, so it decodes nothing), and reads the bodies
//! without parsing them. It runs in this process, so start-up, decoding, sorting and
//! printing are what zpakey does on top of it.

use std::time::{Duration, Instant};

use zpa_sim::{EnvMode, SimHandle};

use crate::analysis::MAX_PAGE_SIZE;

/// Wall time of one bare fetch of every page of `per_type` keys from `sim`, from the sign-in
/// request to the last byte of the last page.
pub fn fetch(sim: &SimHandle, per_type: [usize; 5]) -> Result<Duration, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    runtime.block_on(run(sim, per_type))
}

async fn run(sim: &SimHandle, per_type: [usize; 5]) -> Result<Duration, String> {
    let env: std::collections::HashMap<String, String> =
        sim.env(EnvMode::OneApi).into_iter().collect();
    let var = |name: &str| {
        env.get(name)
            .cloned()
            .ok_or_else(|| format!("zpa-sim gave no {name}"))
    };
    let (api, token_url) = (var("ZPAKEY_API_URL")?, var("ZPAKEY_AUTH_URL")?);
    let customer = var("ZPA_CUSTOMER_ID")?;
    let form = [
        ("grant_type", "client_credentials".to_owned()),
        ("client_id", var("ZSCALER_CLIENT_ID")?),
        ("client_secret", var("ZSCALER_CLIENT_SECRET")?),
        ("audience", "https://api.zscaler.com".to_owned()),
    ];
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| format!("cannot build a client: {e}"))?;

    let started = Instant::now();
    let answer = client
        .post(&token_url)
        .form(&form)
        .send()
        .await
        .map_err(|e| format!("sign-in: {e}"))?;
    let body = answer.bytes().await.map_err(|e| format!("sign-in: {e}"))?;
    let token: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("sign-in answer: {e}"))?;
    let token = token["access_token"]
        .as_str()
        .ok_or("sign-in answer has no access_token")?
        .to_owned();

    let page = |ty: zpa_sim::AssociationType, n: usize| {
        let request = client
            .get(format!(
                "{api}/zpa/mgmtconfig/v1/admin/customers/{customer}/associationType/{}\
                 /provisioningKey?page={n}&pagesize={MAX_PAGE_SIZE}",
                ty.as_str()
            ))
            .bearer_auth(&token);
        async move {
            let answer = request.send().await.map_err(|e| format!("page {n}: {e}"))?;
            if !answer.status().is_success() {
                return Err(format!("page {n}: HTTP {}", answer.status()));
            }
            answer
                .bytes()
                .await
                .map(|b| b.len())
                .map_err(|e| format!("page {n}: {e}"))
        }
    };
    let types = zpa_sim::AssociationType::ALL;
    let first = futures_util::future::join_all(types.map(|t| page(t, 1))).await;
    let rest = futures_util::future::join_all(
        types
            .iter()
            .zip(per_type)
            .flat_map(|(&t, n)| (2..=n.div_ceil(MAX_PAGE_SIZE)).map(move |p| (t, p)))
            .map(|(t, p)| page(t, p)),
    )
    .await;
    let elapsed = started.elapsed();
    let bytes = first
        .into_iter()
        .chain(rest)
        .collect::<Result<Vec<usize>, String>>()?
        .into_iter()
        .sum::<usize>();
    if bytes == 0 {
        return Err("the bare fetch read no bytes".into());
    }
    Ok(elapsed)
}
