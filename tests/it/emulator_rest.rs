//! The REST subset: versions, resources, limits, describe, records, SOQL, and the errors.

use std::time::Duration;

use crate::common::*;
use eca_wizard::emulator::org::DEMO_INTEGRATION_USER;

fn data(emulator: &eca_wizard::emulator::Emulator, rest: &str) -> String {
    format!("{}/services/data/{rest}", emulator.my_domain_url())
}

fn assert_rest_error(answer: &Answer, status: u16, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body[0]["errorCode"], code, "{}", answer.body);
    assert!(body[0]["message"].is_string());
}

#[tokio::test]
async fn versions_need_no_token() {
    let emulator = start();
    let versions = get(&data(&emulator, "")).await.json();
    let list = versions.as_array().unwrap();
    assert_eq!(
        list[0],
        serde_json::json!({"label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"})
    );
    assert_eq!(list.last().unwrap()["label"], "Spring '26");
    assert_eq!(list.last().unwrap()["version"], "66.0");
}

#[tokio::test]
async fn a_token_reads_resources_limits_describe_and_a_row() {
    let emulator = start();
    let token = cc_token(&emulator).await;
    let resources = get_bearer(&data(&emulator, "v66.0/"), &token).await;
    assert_eq!(resources.json()["limits"], "/services/data/v66.0/limits");
    assert!(
        resources
            .header("sforce-limit-info")
            .unwrap()
            .starts_with("api-usage="),
        "every REST answer says the API usage"
    );
    // `/limits` needs View Setup and Configuration, which the integration user lacks.
    assert_rest_error(
        &get_bearer(&data(&emulator, "v66.0/limits/"), &token).await,
        403,
        "INSUFFICIENT_ACCESS",
    );
    let admin = admin_token(&emulator).await;
    let limits = get_bearer(&data(&emulator, "v66.0/limits/"), &admin).await;
    assert!(
        limits
            .header("sforce-limit-info")
            .unwrap()
            .starts_with("api-usage=")
    );
    assert!(
        limits.json()["DailyApiRequests"]["Remaining"]
            .as_u64()
            .unwrap()
            < 15_000
    );
    let describe = get_bearer(&data(&emulator, "v50.0/sobjects/Case/describe"), &token)
        .await
        .json();
    assert_eq!(describe["name"], "Case");
    assert_eq!(describe["keyPrefix"], "500");
    assert!(
        describe.get("deletable").is_some(),
        "Salesforce spells it deletable"
    );
    let query = get_bearer(
        &data(
            &emulator,
            "v59.0/query/?q=SELECT+Id%2C+CaseNumber%2C+Subject+FROM+Case+LIMIT+1",
        ),
        &token,
    )
    .await;
    let query = query.json();
    assert_eq!(query["totalSize"], 1);
    assert_eq!(query["records"][0]["attributes"]["type"], "Case");
    assert!(query["records"][0]["CaseNumber"].is_string());
    let me = get_bearer(
        &format!("{}/services/oauth2/userinfo", emulator.my_domain_url()),
        &token,
    )
    .await
    .json();
    let user = get_bearer(
        &data(
            &emulator,
            &format!("v51.0/sobjects/User/{}", me["user_id"].as_str().unwrap()),
        ),
        &token,
    )
    .await;
    assert_eq!(user.json()["Username"], DEMO_INTEGRATION_USER);
    let org = get_bearer(
        &data(
            &emulator,
            "v66.0/query?q=SELECT%20Name%2C%20IsSandbox%20FROM%20Organization",
        ),
        &token,
    )
    .await;
    assert_eq!(org.json()["records"][0]["IsSandbox"], false);
}

#[tokio::test]
async fn object_access_follows_the_users_permissions() {
    let emulator = start();
    let token = cc_token(&emulator).await;
    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| {
            u.objects.remove("Case");
        })
        .unwrap();
    assert_rest_error(
        &get_bearer(&data(&emulator, "v66.0/sobjects/Case/describe"), &token).await,
        404,
        "NOT_FOUND",
    );
    assert_rest_error(
        &get_bearer(
            &data(&emulator, "v66.0/query?q=SELECT+Id+FROM+Case"),
            &token,
        )
        .await,
        400,
        "INVALID_TYPE",
    );
    assert_rest_error(
        &get_bearer(
            &data(&emulator, "v66.0/query?q=SELECT+Nope+FROM+Account"),
            &token,
        )
        .await,
        400,
        "INVALID_FIELD",
    );
    assert_rest_error(
        &get_bearer(&data(&emulator, "v66.0/query?q=DELETE+everything"), &token).await,
        400,
        "MALFORMED_QUERY",
    );
    assert_rest_error(
        &get_bearer(&data(&emulator, "v66.0/sobjects/Nope__c/describe"), &token).await,
        404,
        "NOT_FOUND",
    );
    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| u.api_enabled = false)
        .unwrap();
    assert_rest_error(
        &get_bearer(&data(&emulator, "v66.0/"), &token).await,
        403,
        "API_DISABLED_FOR_ORG",
    );
}

#[tokio::test]
async fn authentication_errors() {
    let emulator = start();
    assert_rest_error(
        &get(&data(&emulator, "v66.0/limits")).await,
        401,
        "INVALID_AUTH_HEADER",
    );
    assert_rest_error(
        &get_bearer(&data(&emulator, "v66.0/limits"), "00Dx!bogus").await,
        401,
        "INVALID_SESSION_ID",
    );
    let token = cc_token(&emulator).await;
    assert_rest_error(
        &get_bearer(&data(&emulator, "v20.0/limits"), &token).await,
        404,
        "NOT_FOUND",
    );
    assert_rest_error(
        &get_bearer(&data(&emulator, "v99.0/limits"), &token).await,
        404,
        "NOT_FOUND",
    );
    // The generic login host serves no org data.
    let login = get_bearer(
        &format!("{}/services/data/v66.0/limits", emulator.login_url()),
        &token,
    )
    .await;
    assert_rest_error(&login, 401, "INVALID_SESSION_ID");
    // Sessions expire with the session timeout (two hours in the demo org).
    emulator.advance_clock(Duration::from_secs(2 * 3600 + 1));
    let expired = get_bearer(&data(&emulator, "v66.0/limits"), &token).await;
    assert_rest_error(&expired, 401, "INVALID_SESSION_ID");
    assert_eq!(expired.json()[0]["message"], "Session expired or invalid");
}

#[tokio::test]
async fn a_token_without_api_scope_is_not_for_rest() {
    let emulator = start();
    let token = code_flow(&emulator, Some("id openid")).await;
    let answer = get_bearer(
        &data(&emulator, "v66.0/limits"),
        token["access_token"].as_str().unwrap(),
    )
    .await;
    assert_rest_error(&answer, 401, "INVALID_SESSION_ID");
    assert_eq!(
        answer.json()[0]["message"],
        "This session is not valid for use with the REST API"
    );
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let emulator = start();
    let token = cc_token(&emulator).await;
    assert_rest_error(
        &get(&format!("{}/nope", emulator.my_domain_url())).await,
        404,
        "NOT_FOUND",
    );
    assert_rest_error(
        &get_bearer(&data(&emulator, "v66.0/nope/deeper"), &token).await,
        404,
        "NOT_FOUND",
    );
    let post = send(
        client()
            .post(data(&emulator, "v66.0/sobjects/Account"))
            .bearer_auth(&token)
            .body("{}"),
    )
    .await;
    assert_rest_error(&post, 405, "METHOD_NOT_ALLOWED");
}
