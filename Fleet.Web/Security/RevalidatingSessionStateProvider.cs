using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Security;

/// <summary>
/// An open dashboard circuit outlives the request that checked its cookie, so it re-asks the
/// <see cref="SessionValidator"/> on an interval: a deleted, disabled, demoted or re-passworded user's
/// circuit turns anonymous, and the router sends it to the login page.
/// </summary>
public sealed class RevalidatingSessionStateProvider(ILoggerFactory loggerFactory, SessionValidator sessions, IOptions<SecurityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.SessionCheckStep;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        // Token identities never reach a circuit; anything without a user id is not a dashboard session.
        authenticationState.User.Identity?.IsAuthenticated == true
            ? sessions.IsCurrentAsync(authenticationState.User, cancellationToken)
            : Task.FromResult(true);
}
