//! Authentication: the OneAPI token endpoint (secret, Basic, RS256 assertion), legacy
//! sign-in, and the 401s an API call gets without a usable token.

mod common;

#[path = "auth/api_access.rs"]
mod api_access;
#[path = "auth/assertion.rs"]
mod assertion;
#[path = "auth/token.rs"]
mod token;

use common::*;

async fn token_request(sim: &zpa_sim::SimHandle, form: &[(&str, &str)]) -> (u16, String) {
    let resp = client()
        .post(sim.token_url())
        .form(form)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}
