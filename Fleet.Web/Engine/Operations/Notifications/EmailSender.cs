using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Fleet.Web.Engine.Operations.Notifications;

/// <param name="Code">The SMTP reply code; null when no server answered.</param>
public sealed record EmailOutcome(bool Sent, int? Code, string Reply);

/// <summary>Sends one notification e-mail through <c>Fleet:Smtp</c> with MailKit.</summary>
public sealed class EmailSender(IOptions<SmtpOptions> options)
{
    public async Task<EmailOutcome> SendAsync(string to, string subject, string text, CancellationToken ct)
    {
        var smtp = options.Value;
        if (string.IsNullOrWhiteSpace(smtp.Host)) return new EmailOutcome(false, null, "No SMTP server is configured (Fleet:Smtp:Host).");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
            if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
            var reply = await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
            return new EmailOutcome(true, 250, reply);
        }
        catch (SmtpCommandException refused)
        {
            return new EmailOutcome(false, (int)refused.StatusCode, refused.Message);
        }
        catch (Exception error) when (error is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or AuthenticationException or SslHandshakeException)
        {
            return new EmailOutcome(false, null, error.Message);
        }
    }
}
