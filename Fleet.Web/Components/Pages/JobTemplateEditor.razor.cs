using Fleet.Domain;
using Fleet.Domain.Execution;
using Fleet.Web.Audit;
using Fleet.Web.Engine;
using Fleet.Web.Components.Utils;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Fleet.Web.Components.Pages;

/// <summary>
/// Creates a job template or replaces one's content. The engine has the last word on its rules (a taken
/// name, a placeholder with no input): its message is shown beside the field it names.
/// </summary>
public sealed partial class JobTemplateEditor : IAsyncDisposable
{
    private const string ScriptFieldId = "template-script";

    private MudForm? _form;
    private bool _loaded;
    private bool _missing;
    private bool _saving;
    private string _name = "";
    private string _jobCategory = "";
    private string? _description;
    private string? _descriptionFormat;
    private string? _effectiveUser;
    private int? _defaultTimeoutSeconds;
    private string _script = "";
    private string? _feature;
    private readonly List<InputRow> _inputs = [];
    private string? _errorField;
    private string? _error;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private IJSObjectReference? _textInsert;
    private int? _caretAfterRender;

    [Parameter] public long? TemplateId { get; set; }

    [Inject] private IJobTemplates Templates { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDashboardAudit Audit { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    private bool IsNew => TemplateId is null;
    private string Heading => IsNew ? "New job template" : $"Edit {_name}";

    private IReadOnlyList<string> DeclaredInputNames =>
        _inputs.Select(i => i.Name?.Trim()).OfType<string>().Where(n => n.Length > 0).Distinct().ToList();

    protected override async Task OnParametersSetAsync()
    {
        if (TemplateId is { } id)
        {
            var template = await Templates.GetAsync(id);
            if (template is null)
            {
                _missing = true;
            }
            else
            {
                _name = template.Name;
                _jobCategory = template.JobCategory;
                _description = template.Description;
                _descriptionFormat = template.DescriptionFormat;
                _effectiveUser = template.EffectiveUser;
                _defaultTimeoutSeconds = template.DefaultTimeoutSeconds;
                _script = template.Script;
                _feature = template.Feature;
                _inputs.Clear();
                _inputs.AddRange(template.Inputs.Select(InputRow.From));
            }
        }
        _breadcrumbs =
        [
            new BreadcrumbItem("Jobs", "/jobs"),
            new BreadcrumbItem("Templates", "/jobs/templates"),
            new BreadcrumbItem(IsNew ? "New" : _name, null, disabled: true),
        ];
        _loaded = true;
    }

    private string? FieldError(string field) => _errorField == field ? _error : null;

    private void AddInput() => _inputs.Add(new InputRow());

    /// <summary>Puts the input's placeholder where the script's caret is (over its selection), then the caret after it.</summary>
    private async Task InsertPlaceholder(string inputName)
    {
        var selection = await ScriptSelectionAsync();
        (_script, var caret) = TextInsertion.Insert(_script, $"<%= input('{inputName}') %>", selection?[0], selection?[1]);
        // The caret can move only once the field shows the new text.
        _caretAfterRender = selection is null ? null : caret;
    }

    private async Task<int[]?> ScriptSelectionAsync()
    {
        try
        {
            _textInsert ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/text-insert.js");
            return await _textInsert.InvokeAsync<int[]?>("selection", ScriptFieldId) is [_, _] pair ? pair : null;
        }
        catch (JSException)
        {
            return null;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_caretAfterRender is not { } caret || _textInsert is null) return;
        _caretAfterRender = null;
        try
        {
            await _textInsert.InvokeVoidAsync("placeCaret", ScriptFieldId, caret);
        }
        catch (JSException)
        {
            // The caret is a convenience; the text is already right.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_textInsert is null) return;
        try
        {
            await _textInsert.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the module with it.
        }
    }

    private async Task SaveAsync()
    {
        if (_form is null) return;
        await _form.ValidateAsync();
        if (!_form.IsValid) return;

        _error = null;
        _errorField = null;
        // The engine would store a nameless input, which no placeholder could ever reach.
        if (_inputs.Any(i => string.IsNullOrWhiteSpace(i.Name)))
        {
            _errorField = nameof(JobTemplate.Inputs);
            _error = "Every input needs a name.";
            return;
        }

        _saving = true;
        var draft = new JobTemplateDraft(_name.Trim(), _jobCategory?.Trim() ?? "", _script,
            _inputs.Select(i => i.ToInput()).ToList(), Blank(_description), Blank(_effectiveUser), _defaultTimeoutSeconds,
            Blank(_descriptionFormat), _feature);
        try
        {
            var saved = TemplateId is { } id ? await Templates.UpdateAsync(id, draft) : await Templates.CreateAsync(draft);
            await Audit.SucceededAsync(IsNew ? "create job template" : "edit job template", saved.Name);
            Snackbar.Add(IsNew ? $"Template {saved.Name} created." : $"Template {saved.Name} saved.", Severity.Success);
            Navigation.NavigateTo("/jobs/templates");
        }
        catch (DomainException ex)
        {
            // Fields this form shows get the message beside them; any other rule is shown under the script.
            _errorField = ex.Field is nameof(JobTemplate.Name) or nameof(JobTemplate.Script) or nameof(JobTemplate.Inputs) ? ex.Field : null;
            _error = ex.Message;
        }
        catch (JobTemplateNotFoundException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _saving = false;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>One editable input row; options are typed as a comma list.</summary>
    private sealed class InputRow
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public bool Required { get; set; }
        public string? Default { get; set; }
        public string? Options { get; set; }
        public bool Sensitive { get; set; }

        public static InputRow From(TemplateInputView view) => new()
        {
            Name = view.Name,
            Description = view.Description,
            Required = view.Required,
            Default = view.Default,
            Options = string.Join(", ", view.Options),
            Sensitive = view.Sensitive,
        };

        public TemplateInput ToInput()
        {
            var options = (Options ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return new TemplateInput((Name ?? "").Trim(), Blank(Description), Required, Blank(Default), options.Length > 0 ? options : null, Sensitive);
        }
    }
}
