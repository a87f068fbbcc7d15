using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Accounts, sessions, members and keys through the real Host: sign-up and sign-in with the session cookie, lockout,
/// CSRF, invitations and role limits, issued keys and their scopes, hostile bodies, and another tenant's ids.
/// </summary>
public sealed class AccountsApiTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task SignUp_ThenMe_ShowsTheOwnerTheTenantAndACsrfToken()
    {
        var (tenant, email) = NewTenant();
        using var portal = Portal();

        using var signUp = await portal.PostAsJsonAsync("/api/v1/signup", new { tenantId = tenant, tenantName = "Acct Ltd", email, password = Password });
        var me = await portal.GetFromJsonAsync<JsonElement>("/api/v1/me");

        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        Assert.Contains(signUp.Headers.GetValues("Set-Cookie"), c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("owner", me.GetProperty("role").GetString());
        Assert.Equal(tenant, me.GetProperty("tenant").GetProperty("tenantId").GetString());
        Assert.Equal("Acct Ltd", me.GetProperty("tenant").GetProperty("displayName").GetString());
        Assert.Equal([tenant], me.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("tenantId").GetString()));
        Assert.Contains("members:write", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.False(string.IsNullOrEmpty(me.GetProperty("csrfToken").GetString()));
    }

    [Fact]
    public async Task SignUp_TakenTenantOrEmail_Is409()
    {
        var (tenant, email) = NewTenant();
        using var first = Portal();
        (await first.PostAsJsonAsync("/api/v1/signup", new { tenantId = tenant, tenantName = "First", email, password = Password })).EnsureSuccessStatusCode();
        using var second = Portal();

        using var sameTenant = await second.PostAsJsonAsync("/api/v1/signup", new { tenantId = tenant, tenantName = "Second", email = $"other-{email}", password = Password });
        using var sameEmail = await second.PostAsJsonAsync("/api/v1/signup", new { tenantId = tenant + "-x", tenantName = "Second", email, password = Password });

        await AssertProblemAsync(sameTenant, HttpStatusCode.Conflict, "already exists");
        await AssertProblemAsync(sameEmail, HttpStatusCode.Conflict, "exists already");
    }

    [Fact]
    public async Task SignIn_WrongPassword_Is401_RightPassword_SignsIn()
    {
        var (tenant, email) = await SignUpAsync();
        using var portal = Portal();

        using var wrong = await portal.PostAsJsonAsync("/api/v1/session", new { email, password = "not the password" });
        using var unknown = await portal.PostAsJsonAsync("/api/v1/session", new { email = "nobody-" + email, password = Password });
        using var right = await portal.PostAsJsonAsync("/api/v1/session", new { email = email.ToUpperInvariant(), password = Password, tenantId = tenant });

        await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "email or the password is wrong");
        await AssertProblemAsync(unknown, HttpStatusCode.Unauthorized, "email or the password is wrong");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(tenant, (await portal.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("tenant").GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task SignIn_AfterFiveFailures_IsLockedEvenWithTheRightPassword_SayingUntilWhen()
    {
        var (_, email) = await SignUpAsync();
        using var portal = Portal();
        for (var i = 0; i < 5; i++)
        {
            using var failed = await portal.PostAsJsonAsync("/api/v1/session", new { email, password = $"wrong password {i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var locked = await portal.PostAsJsonAsync("/api/v1/session", new { email, password = Password });

        var body = await AssertProblemAsync(locked, HttpStatusCode.TooManyRequests, "locked until");
        var retryAfter = locked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Contains("UTC", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieChange_WithoutCsrfToken_Is403_WithIt_Works()
    {
        var (_, _, portal, csrf) = await SignedUpPortalAsync();
        using (portal)
        {
            var request = new { name = "laptop", kind = "personalAccessToken", scopes = new List<string> { "db:connect" } };

            using var missing = await portal.PostAsJsonAsync("/api/v1/keys", request);
            using var wrong = await SendAsync(portal, HttpMethod.Post, "/api/v1/keys", request, "not-the-token");
            using var right = await SendAsync(portal, HttpMethod.Post, "/api/v1/keys", request, csrf);

            await AssertProblemAsync(missing, HttpStatusCode.Forbidden, "X-CSRF-Token");
            await AssertProblemAsync(wrong, HttpStatusCode.Forbidden, "X-CSRF-Token");
            Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        }
    }

    [Fact]
    public async Task Invitation_AcceptedBySettingAPassword_SignsIn_AndTheRoleLimitsWhatTheMemberMayDo()
    {
        var (tenant, email, owner, csrf) = await SignedUpPortalAsync();
        using (owner)
        {
            var devEmail = "dev-" + email;
            var auditorEmail = "audit-" + email;
            var devToken = await InviteAsync(owner, csrf, devEmail, "developer");
            var auditorToken = await InviteAsync(owner, csrf, auditorEmail, "auditor");

            using var anonymous = Portal();
            using var weak = await anonymous.PostAsJsonAsync($"/api/v1/invitations/{devToken}", new { password = "short" });
            using var accepted = await anonymous.PostAsJsonAsync($"/api/v1/invitations/{devToken}", new { password = Password });
            using var again = await Portal().PostAsJsonAsync($"/api/v1/invitations/{devToken}", new { password = Password });
            (await Portal().PostAsJsonAsync($"/api/v1/invitations/{auditorToken}", new { password = Password })).EnsureSuccessStatusCode();

            await AssertProblemAsync(weak, HttpStatusCode.BadRequest, "at least 12 characters");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.True((await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signedIn").GetBoolean());
            await AssertProblemAsync(again, HttpStatusCode.Gone, "used already");

            var (developer, devCsrf) = await SignInAsync(devEmail, tenant);
            var (auditor, _) = await SignInAsync(auditorEmail, tenant);
            using (developer)
            using (auditor)
            {
                var devMe = await developer.GetFromJsonAsync<JsonElement>("/api/v1/me");
                using var apiKey = await SendAsync(developer, HttpMethod.Post, "/api/v1/keys", new { name = "ci", kind = "apiKey", scopes = new List<string> { "events:read" } }, devCsrf);
                using var pat = await SendAsync(developer, HttpMethod.Post, "/api/v1/keys", new { name = "laptop", kind = "personalAccessToken", scopes = new List<string> { "db:connect" } }, devCsrf);
                using var invite = await SendAsync(developer, HttpMethod.Post, "/api/v1/members", new { email = "x-" + email, role = "admin" }, devCsrf);
                using var promote = await SendAsync(developer, new HttpMethod("PATCH"), $"/api/v1/members/{devMe.GetProperty("memberId").GetString()}", new { role = "admin" }, devCsrf);
                using var members = await developer.GetAsync(new Uri("/api/v1/members", UriKind.Relative));
                using var auditorEvents = await auditor.GetAsync(new Uri("/api/v1/events?limit=5", UriKind.Relative));
                using var auditorMembers = await auditor.GetAsync(new Uri("/api/v1/members", UriKind.Relative));

                Assert.Equal("developer", devMe.GetProperty("role").GetString());
                await AssertProblemAsync(apiKey, HttpStatusCode.Forbidden, "members:write");
                Assert.Equal(HttpStatusCode.Created, pat.StatusCode);
                Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
                Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
                Assert.Equal(HttpStatusCode.Forbidden, members.StatusCode);
                Assert.Equal(HttpStatusCode.OK, auditorEvents.StatusCode);
                Assert.Equal(HttpStatusCode.OK, auditorMembers.StatusCode);
            }
        }
    }

    [Fact]
    public async Task Owners_AloneMakeAndUnmakeOwners_AndTheLastOwnerStays()
    {
        var (tenant, email, owner, csrf) = await SignedUpPortalAsync();
        using (owner)
        {
            var adminEmail = "admin-" + email;
            await AcceptAsync(await InviteAsync(owner, csrf, adminEmail, "admin"));
            var (admin, adminCsrf) = await SignInAsync(adminEmail, tenant);
            using (admin)
            {
                var ownerId = (await owner.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("memberId").GetString();
                var adminId = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("memberId").GetString();

                using var adminInvitesOwner = await SendAsync(admin, HttpMethod.Post, "/api/v1/members", new { email = "o2-" + email, role = "owner" }, adminCsrf);
                using var adminPromotesSelf = await SendAsync(admin, new HttpMethod("PATCH"), $"/api/v1/members/{adminId}", new { role = "owner" }, adminCsrf);
                using var adminDemotesOwner = await SendAsync(admin, new HttpMethod("PATCH"), $"/api/v1/members/{ownerId}", new { role = "auditor" }, adminCsrf);
                using var adminRemovesOwner = await SendAsync(admin, HttpMethod.Delete, $"/api/v1/members/{ownerId}", null, adminCsrf);
                using var lastOwnerDemoted = await SendAsync(owner, new HttpMethod("PATCH"), $"/api/v1/members/{ownerId}", new { role = "admin" }, csrf);
                using var ownerPromotesAdmin = await SendAsync(owner, new HttpMethod("PATCH"), $"/api/v1/members/{adminId}", new { role = "owner" }, csrf);
                var adminNow = await admin.GetFromJsonAsync<JsonElement>("/api/v1/me");

                await AssertProblemAsync(adminInvitesOwner, HttpStatusCode.Forbidden, "only an owner");
                await AssertProblemAsync(adminPromotesSelf, HttpStatusCode.Forbidden, "only an owner");
                await AssertProblemAsync(adminDemotesOwner, HttpStatusCode.Forbidden, "only an owner");
                await AssertProblemAsync(adminRemovesOwner, HttpStatusCode.Forbidden, "only an owner");
                await AssertProblemAsync(lastOwnerDemoted, HttpStatusCode.Conflict, "last owner");
                Assert.Equal(HttpStatusCode.OK, ownerPromotesAdmin.StatusCode);
                Assert.Equal("owner", adminNow.GetProperty("role").GetString());
            }
        }
    }

    [Fact]
    public async Task ApiKey_IssuedThroughTheApi_AuthenticatesWithinItsScopes_AndIsRefusedOnceRevoked()
    {
        var (tenant, _, owner, csrf) = await SignedUpPortalAsync();
        using (owner)
        {
            using var issued = await SendAsync(owner, HttpMethod.Post, "/api/v1/keys", new { name = "siem", kind = "apiKey", scopes = new List<string> { "events:read", "members:read" } }, csrf);
            var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
            var secret = body.GetProperty("secret").GetString()!;
            var keyId = body.GetProperty("key").GetProperty("id").GetString()!;
            using var key = Bearer(secret);

            var me = await key.GetFromJsonAsync<JsonElement>("/api/v1/me");
            using var events = await key.GetAsync(new Uri("/api/v1/events?limit=1", UriKind.Relative));
            using var ledger = await key.GetAsync(new Uri("/api/v1/ledger", UriKind.Relative));
            using var addMember = await key.PostAsJsonAsync("/api/v1/members", new { email = "k@example.com", role = "auditor" });
            var listed = await owner.GetFromJsonAsync<JsonElement>("/api/v1/keys");
            using var revoke = await SendAsync(owner, HttpMethod.Delete, $"/api/v1/keys/{keyId}", null, csrf);
            using var afterRevoke = await key.GetAsync(new Uri("/api/v1/events?limit=1", UriKind.Relative));

            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            Assert.StartsWith($"tk_{tenant}_", secret, StringComparison.Ordinal);
            Assert.Equal(tenant, me.GetProperty("tenant").GetProperty("tenantId").GetString());
            Assert.Equal(["events:read", "members:read"], me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).Order());
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, ledger.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, addMember.StatusCode);
            Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);
            Assert.Contains(listed.GetProperty("items").EnumerateArray(), k => k.GetProperty("id").GetString() == keyId);
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            await AssertProblemAsync(afterRevoke, HttpStatusCode.Unauthorized, "Bearer");
        }
    }

    [Fact]
    public async Task ConfiguredKeys_StillWork()
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        var me = await api.GetFromJsonAsync<JsonElement>("/api/v1/me");

        Assert.Equal(PlatformFixture.TenantA, me.GetProperty("tenant").GetProperty("tenantId").GetString());
        Assert.Equal("configured-key", me.GetProperty("credential").GetString());
    }

    [Theory]
    [InlineData("{not json", "application/json")]
    [InlineData("{\"email\": \"a@example.com\", \"password\": \"0123456789abc\", \"isAdmin\": true}", "application/json")]
    [InlineData("{\"email\": 42, \"password\": [\"x\"]}", "application/json")]
    [InlineData("{\"email\": \"a@example.com\", \"password\": \"' OR 1=1 --\", \"tenantId\": \"acme'; DROP TABLE x; --\"}", "application/json")]
    [InlineData("", "application/json")]
    public async Task SignIn_BadBodies_Are400Problems(string body, string contentType)
    {
        using var portal = Portal();

        using var response = await portal.PostAsync(new Uri("/api/v1/session", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignUp_HugeBody_Is413Problem()
    {
        using var portal = Portal();
        var huge = new string('a', 1 << 20);

        using var response = await portal.PostAsJsonAsync("/api/v1/signup", new { tenantId = "huge", tenantName = huge, email = "h@example.com", password = Password });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnotherTenant_CookieOrKey_OnThisTenantsMemberAndKeyIds_Is404()
    {
        var (_, emailA, ownerA, csrfA) = await SignedUpPortalAsync();
        var (_, _, ownerB, csrfB) = await SignedUpPortalAsync();
        using (ownerA)
        using (ownerB)
        {
            await InviteAsync(ownerA, csrfA, "victim-" + emailA, "auditor");
            var memberA = (await ownerA.GetFromJsonAsync<JsonElement>("/api/v1/members")).GetProperty("items").EnumerateArray()
                .Single(m => m.GetProperty("email").GetString() == "victim-" + emailA).GetProperty("id").GetString();
            using var issuedA = await SendAsync(ownerA, HttpMethod.Post, "/api/v1/keys", new { name = "a", kind = "apiKey", scopes = new List<string> { "events:read" } }, csrfA);
            var keyA = (await issuedA.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetProperty("id").GetString();
            using var issuedB = await SendAsync(ownerB, HttpMethod.Post, "/api/v1/keys", new { name = "b", kind = "apiKey", scopes = new List<string> { "members:read", "members:write" } }, csrfB);
            using var keyB = Bearer((await issuedB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);

            using var patch = await SendAsync(ownerB, new HttpMethod("PATCH"), $"/api/v1/members/{memberA}", new { role = "admin" }, csrfB);
            using var remove = await SendAsync(ownerB, HttpMethod.Delete, $"/api/v1/members/{memberA}", null, csrfB);
            using var revoke = await SendAsync(ownerB, HttpMethod.Delete, $"/api/v1/keys/{keyA}", null, csrfB);
            using var keyRemove = await keyB.DeleteAsync(new Uri($"/api/v1/members/{memberA}", UriKind.Relative));
            using var keyRevoke = await keyB.DeleteAsync(new Uri($"/api/v1/keys/{keyA}", UriKind.Relative));
            var listedB = await keyB.GetFromJsonAsync<JsonElement>("/api/v1/members");

            Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, keyRemove.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, keyRevoke.StatusCode);
            Assert.DoesNotContain(memberA!, listedB.GetRawText(), StringComparison.Ordinal);
            Assert.Contains(keyA!, (await ownerA.GetFromJsonAsync<JsonElement>("/api/v1/keys")).GetRawText(), StringComparison.Ordinal);
        }
    }

    private static (string Tenant, string Email) NewTenant()
    {
        var id = "acct-" + Guid.NewGuid().ToString("N")[..10];
        return (id, $"{id}@example.com");
    }

    private HttpClient Portal() => new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = platform.Host.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private HttpClient Bearer(string secret)
    {
        var client = new HttpClient { BaseAddress = platform.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private async Task<(string Tenant, string Email)> SignUpAsync()
    {
        var (tenant, email) = NewTenant();
        using var portal = Portal();
        (await portal.PostAsJsonAsync("/api/v1/signup", new { tenantId = tenant, tenantName = tenant, email, password = Password })).EnsureSuccessStatusCode();
        return (tenant, email);
    }

    private async Task<(string Tenant, string Email, HttpClient Portal, string Csrf)> SignedUpPortalAsync()
    {
        var (tenant, email) = NewTenant();
        var portal = Portal();
        (await portal.PostAsJsonAsync("/api/v1/signup", new { tenantId = tenant, tenantName = tenant, email, password = Password })).EnsureSuccessStatusCode();
        var me = await portal.GetFromJsonAsync<JsonElement>("/api/v1/me");
        return (tenant, email, portal, me.GetProperty("csrfToken").GetString()!);
    }

    private async Task<(HttpClient Portal, string Csrf)> SignInAsync(string email, string tenant)
    {
        var portal = Portal();
        using var response = await portal.PostAsJsonAsync("/api/v1/session", new { email, password = Password, tenantId = tenant });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (portal, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString()!);
    }

    private static async Task<string> InviteAsync(HttpClient portal, string csrf, string email, string role)
    {
        using var response = await SendAsync(portal, HttpMethod.Post, "/api/v1/members", new { email, role }, csrf);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitationToken").GetString()!;
    }

    private async Task AcceptAsync(string token)
    {
        using var portal = Portal();
        using var response = await portal.PostAsJsonAsync($"/api/v1/invitations/{token}", new { password = Password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string csrf)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        request.Headers.Add("X-CSRF-Token", csrf);
        return client.SendAsync(request);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string says)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(says, body, StringComparison.Ordinal);
        return body;
    }
}
