using System.Globalization;
using Fleet.Domain;
using Fleet.Domain.Operations;
using Fleet.Domain.Security;
using Fleet.Web.Engine;
using Fleet.Web.Engine.Operations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Fleet.Web.Components.Dialogs;

/// <summary>
/// Creates a headless operation through the same engine call as the API, so the engine's rules (and its messages) decide;
/// closes with the <see cref="OperationCreated"/>. Admins and operators only, as the API.
/// </summary>
public sealed partial class CreateOperationDialog
{
    private const int PreviewRows = 10;
    private const int NextRunsShown = 5;

    private OperationType _type = OperationType.HealthCheck;
    private IReadOnlyList<ParameterField> _fields = [];
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private string _query = "";
    private string? _queryError;
    private TargetPreview? _preview;
    private ScheduleType _scheduleType = ScheduleType.Immediate;
    private string? _onceAt;
    private string _cron = "0 3 * * *";
    private string _zone = "UTC";
    private string? _scheduleError;
    private IReadOnlyList<DateTimeOffset> _nextRuns = [];
    private bool _notifyOnCompletion;
    private bool _notifyOnFailure;
    private string? _email;
    private string? _webhook;
    private int _maxAttempts = 1;
    private int _retryDelay = 5;
    private List<string> _problems = [];
    private bool _saving;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private IHeadlessOperations Operations { get; set; } = default!;
    [Inject] private IInvocationService Invocations { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override void OnInitialized()
    {
        ChooseType(_type);
        RefreshNextRuns();
    }

    private void OnTypeChanged(OperationType type) => ChooseType(type);

    /// <summary>Each type's own fields, at their defaults; lists are edited as one line of names.</summary>
    private void ChooseType(OperationType type)
    {
        _type = type;
        _fields = OperationParameters.FieldsOf(type);
        _values.Clear();
        foreach (var field in _fields)
            _values[field.Name] = field.Kind == ParameterKind.List ? string.Join(", ", (IEnumerable<string>)field.Default!) : field.Default;
    }

    private async Task OnQueryChanged(string? query)
    {
        _query = query ?? "";
        try
        {
            _preview = string.IsNullOrWhiteSpace(_query) ? null : await Invocations.PreviewTargetsAsync(_query, null, PreviewRows);
            _queryError = null;
        }
        catch (SearchSyntaxException error)
        {
            _preview = null;
            _queryError = error.Message;
        }
    }

    private void OnCronChanged(string? cron)
    {
        _cron = cron ?? "";
        RefreshNextRuns();
    }

    private void OnZoneChanged(string? zone)
    {
        _zone = string.IsNullOrWhiteSpace(zone) ? "UTC" : zone.Trim();
        RefreshNextRuns();
    }

    /// <summary>The next runs as the schedule will read them: the cron line in the chosen zone, shown in that zone.</summary>
    private void RefreshNextRuns()
    {
        try
        {
            _nextRuns = Fleet.Domain.Execution.Schedule.NextOccurrences(_cron, Fleet.Domain.Execution.Schedule.Zone(_zone), Clock.GetUtcNow(), NextRunsShown);
            _scheduleError = _nextRuns.Count == 0 ? $"The cron line '{_cron}' never fires." : null;
        }
        catch (DomainException error)
        {
            _nextRuns = [];
            _scheduleError = error.Message;
        }
    }

    private void Cancel() => MudDialog.Cancel();

    private async Task SubmitAsync()
    {
        _problems = [];
        var user = AuthenticationState is null ? null : (await AuthenticationState).User;
        if (user is null || !user.IsInRole(Roles.Operator))
        {
            _problems.Add("Only admins and operators may create operations.");
            return;
        }
        _saving = true;
        try
        {
            var devices = await DevicesAsync();
            var request = new OperationRequest(_type.WireName(), devices, BuildSchedule(), Parameters(), Notification(), new RetryPolicy(_maxAttempts, _retryDelay), ReadProblems(),
                ListUrl: Navigation.ToAbsoluteUri("/api/v1/inventory_device_name_headless_operation/").ToString());
            MudDialog.Close(DialogResult.Ok(await Operations.CreateAsync(request, user.Identity?.Name ?? "")));
        }
        catch (OperationInvalidException invalid)
        {
            _problems = invalid.Problems.Select(p => p.Message).ToList();
        }
        catch (SearchSyntaxException error)
        {
            _problems.Add(error.Message);
        }
        finally
        {
            _saving = false;
        }
    }

    /// <summary>Every device the query matches, by name, as the API names them; the engine checks each is an approved host.</summary>
    private async Task<IReadOnlyList<string>> DevicesAsync()
    {
        if (string.IsNullOrWhiteSpace(_query)) return [];
        var matches = await Invocations.PreviewTargetsAsync(_query, null, HeadlessOperationService.MaxDevices + 1);
        return matches.Sample.Select(h => h.Hostname).ToList();
    }

    private List<OperationProblem> ReadProblems() =>
        _scheduleType == ScheduleType.Once && _onceAt is not null && !TryReadInstant(_onceAt, out _)
            ? [OperationProblem.At("The run time must be a date and time, e.g. 2030-01-15T14:00:00Z.", "schedule", "scheduled_at")]
            : [];

    private OperationSchedule BuildSchedule() => _scheduleType switch
    {
        ScheduleType.Once => new OperationSchedule(ScheduleType.Once, _onceAt is not null && TryReadInstant(_onceAt, out var at) ? at : null),
        ScheduleType.Recurring => new OperationSchedule(ScheduleType.Recurring, Cron: _cron, TimeZone: _zone),
        _ => new OperationSchedule(ScheduleType.Immediate),
    };

    /// <summary>ISO 8601; a time without a zone is read as UTC, as the field says.</summary>
    private static bool TryReadInstant(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);

    /// <summary>The form's values as the engine takes them: numbers as long, lists as lists of names, empty text as absent.</summary>
    private Dictionary<string, object?> Parameters()
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in _fields)
        {
            var value = _values[field.Name];
            parameters[field.Name] = field.Kind switch
            {
                ParameterKind.Int => (long)(int)value!,
                ParameterKind.List => ((string?)value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Cast<object?>().ToList(),
                ParameterKind.Text => string.IsNullOrWhiteSpace((string?)value) ? null : ((string)value).Trim(),
                _ => value,
            };
        }
        return parameters;
    }

    private NotificationSettings Notification() => new(_notifyOnCompletion, _notifyOnFailure,
        string.IsNullOrWhiteSpace(_email) ? null : _email.Trim(), string.IsNullOrWhiteSpace(_webhook) ? null : _webhook.Trim());
}
