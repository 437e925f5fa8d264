namespace Fleet.Web.Engine;

/// <summary>
/// The whole invocation surface in one service, for pages that create, read and follow jobs. Callers that
/// need one side take the narrower interface (<see cref="IInvocationCommands"/>, <see cref="IInvocationQueries"/>,
/// <see cref="IInvocationOutput"/>); templates and bookmarks are <see cref="IJobTemplates"/> and <see cref="IBookmarks"/>.
/// </summary>
public interface IInvocationService : IInvocationCommands, IInvocationQueries, IInvocationOutput;
