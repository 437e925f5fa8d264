namespace Fleet.Web.Engine.Operations.Notifications;

/// <summary><c>Fleet:Notifications</c>.</summary>
public sealed class NotificationOptions
{
    /// <summary>Lets webhooks reach private, loopback and link-local addresses (labs, tests). Off by default.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>The HMAC key webhooks are signed with; when empty, one is generated once per installation and kept in the database.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Retries after a failed webhook POST (5xx, 408, 429, no answer), with exponential backoff from <see cref="WebhookRetryDelayMilliseconds"/>.</summary>
    public int WebhookRetries { get; set; } = 3;

    public int WebhookRetryDelayMilliseconds { get; set; } = 2000;

    public int WebhookTimeoutSeconds { get; set; } = 10;
}

/// <summary><c>Fleet:Smtp</c>: the mail server e-mail notifications go through.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    /// <summary>Require TLS: implicit on port 465, STARTTLS otherwise. Off: plain SMTP.</summary>
    public bool UseTls { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "fleet@localhost";
}
