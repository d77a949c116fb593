// Drives the real jsforce client against the eca-wizard emulator. Given the emulator's URLs and
// credentials as JSON in argv[2], it logs in with client credentials and with a refresh token,
// then reads identity, userinfo, API versions, the Case describe and limits (refused to users
// without View Setup, as Salesforce does: the error code is kept). It prints one JSON object of
// what it saw and exits non-zero on the first failure.
import jsforce from "jsforce";

const config = JSON.parse(process.argv[2]);
const seen = {};

function oauth2() {
  return new jsforce.OAuth2({
    loginUrl: config.my_domain_url,
    clientId: config.client_id,
    clientSecret: config.client_secret,
    redirectUri: config.redirect_uri,
  });
}

// A connection built from a refreshed token has no user info yet, so it reads the identity
// URL from the token response, as an app that stores tokens would.
async function readEverything(conn, label, identityUrl) {
  const identity = identityUrl ? await conn.request(identityUrl) : await conn.identity();
  const userinfo = await conn.request("/services/oauth2/userinfo");
  const versions = await conn.request("/services/data/");
  const describe = await conn.describe("Case");
  const limits = await conn.limits().catch((error) => ({ refused: error.errorCode || String(error) }));
  const query = await conn.query("SELECT Id, CaseNumber, Subject FROM Case LIMIT 1");
  seen[label] = {
    username: identity.username,
    userinfo_username: userinfo.preferred_username,
    versions: versions.length,
    describe: describe.name,
    limits: limits.refused || limits.DailyApiRequests.Max,
    query_total: query.totalSize,
  };
}

try {
  const cc = new jsforce.Connection({ oauth2: oauth2() });
  const ccToken = await cc.authorize({ grant_type: "client_credentials" });
  seen.client_credentials = { instance_url: cc.instanceUrl, user_id: ccToken.id };
  await readEverything(cc, "client_credentials_reads");

  const refreshed = await oauth2().refreshToken(config.refresh_token);
  const byRefresh = new jsforce.Connection({
    oauth2: oauth2(),
    instanceUrl: refreshed.instance_url,
    accessToken: refreshed.access_token,
    refreshToken: config.refresh_token,
  });
  seen.refresh = { instance_url: refreshed.instance_url };
  await readEverything(byRefresh, "refresh_reads", refreshed.id);

  // An expired session makes jsforce refresh on its own, as it would in production.
  const stale = new jsforce.Connection({
    oauth2: oauth2(),
    instanceUrl: config.my_domain_url,
    accessToken: "00D000000000000!expired",
    refreshToken: config.refresh_token,
  });
  const describe = await stale.describe("Case");
  seen.auto_refresh = { describe: describe.name };

  // Revoking the refresh token ends every session issued from it.
  await cc.logout();
  await byRefresh.logout(true);
  seen.revoked = true;
  try {
    await oauth2().refreshToken(config.refresh_token);
    seen.refresh_after_revoke = "accepted";
  } catch (error) {
    seen.refresh_after_revoke = String(error.message || error);
  }
  console.log(JSON.stringify(seen));
} catch (error) {
  console.log(JSON.stringify({ failed: String(error && (error.stack || error)), seen }));
  process.exit(1);
}
