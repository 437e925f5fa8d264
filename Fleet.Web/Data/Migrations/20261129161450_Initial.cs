using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agent_invocations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstanceKind = table.Column<int>(type: "INTEGER", nullable: false),
                    InstanceName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    RunsOnHostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    VersionBefore = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TargetVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    VersionAfter = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    EngineInvocationId = table.Column<long>(type: "INTEGER", nullable: true),
                    TargetRunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EnrolledHostId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RunSucceeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    RetryOf = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RollbackOf = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RolledBackBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agent_invocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "audit_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActorKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "bookmarks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Query = table.Column<string>(type: "TEXT", nullable: false),
                    Controller = table.Column<string>(type: "TEXT", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    Public = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bookmarks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commands",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetRunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Script = table.Column<string>(type: "TEXT", nullable: false),
                    SealedScript = table.Column<string>(type: "TEXT", nullable: true),
                    EffectiveUser = table.Column<string>(type: "TEXT", nullable: true),
                    TimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ExitCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResultDeadline = table.Column<long>(type: "INTEGER", nullable: true),
                    PickupDeadline = table.Column<long>(type: "INTEGER", nullable: true),
                    LateExitCode = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commands", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enrollment_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enrollment_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "fleet_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Online = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fleet_samples", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "headless_operations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    ParametersJson = table.Column<string>(type: "TEXT", nullable: false),
                    ScheduleType = table.Column<int>(type: "INTEGER", nullable: false),
                    ScheduledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MaxAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RetryDelayMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    NotifyOnCompletion = table.Column<bool>(type: "INTEGER", nullable: false),
                    NotifyOnFailure = table.Column<bool>(type: "INTEGER", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    WebhookUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    ListUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    NextExecution = table.Column<long>(type: "INTEGER", nullable: true),
                    Occurrences = table.Column<int>(type: "INTEGER", nullable: false),
                    LastStartedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MachineId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Hostname = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Approval = table.Column<int>(type: "INTEGER", nullable: false),
                    Connectivity = table.Column<int>(type: "INTEGER", nullable: false),
                    EnrolledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeen = table.Column<long>(type: "INTEGER", nullable: false),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SecretHash = table.Column<string>(type: "TEXT", nullable: true),
                    SecretIssuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SecretConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SecretRevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AgentAddress = table.Column<string>(type: "TEXT", nullable: true),
                    AgentBootId = table.Column<string>(type: "TEXT", nullable: true),
                    OfflineSince = table.Column<long>(type: "INTEGER", nullable: true),
                    DuplicateSeenAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DuplicateDetail = table.Column<string>(type: "TEXT", nullable: true),
                    Platform = table.Column<string>(type: "TEXT", nullable: false),
                    OsVersion = table.Column<string>(type: "TEXT", nullable: false),
                    KernelVersion = table.Column<string>(type: "TEXT", nullable: false),
                    AgentVersion = table.Column<string>(type: "TEXT", nullable: false),
                    CpuCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CpuModel = table.Column<string>(type: "TEXT", nullable: false),
                    MemoryTotalBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    UptimeSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    IpAddress = table.Column<string>(type: "TEXT", nullable: false),
                    SerialNumber = table.Column<string>(type: "TEXT", nullable: true),
                    Model = table.Column<string>(type: "TEXT", nullable: true),
                    Manufacturer = table.Column<string>(type: "TEXT", nullable: true),
                    Location = table.Column<string>(type: "TEXT", nullable: true),
                    InventoryHash = table.Column<string>(type: "TEXT", nullable: true),
                    InventoryUpdatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    HasContainerEngine = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChildrenReportedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "install_tickets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgentInvocationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UsedByHostId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_install_tickets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "installation_secrets",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_installation_secrets", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "invocations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JobCategory = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    TemplateId = table.Column<long>(type: "INTEGER", nullable: true),
                    TemplateName = table.Column<string>(type: "TEXT", nullable: false),
                    Feature = table.Column<string>(type: "TEXT", nullable: true),
                    Origin = table.Column<int>(type: "INTEGER", nullable: false),
                    CommandKind = table.Column<int>(type: "INTEGER", nullable: false),
                    Script = table.Column<string>(type: "TEXT", nullable: false),
                    SealedScript = table.Column<string>(type: "TEXT", nullable: true),
                    InputsJson = table.Column<string>(type: "TEXT", nullable: false),
                    EffectiveUser = table.Column<string>(type: "TEXT", nullable: true),
                    TargetingType = table.Column<int>(type: "INTEGER", nullable: false),
                    SearchQuery = table.Column<string>(type: "TEXT", nullable: true),
                    BookmarkId = table.Column<long>(type: "INTEGER", nullable: true),
                    RandomizedOrdering = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConcurrencyLevel = table.Column<int>(type: "INTEGER", nullable: true),
                    TimeToPickupSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    ExecutionTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    StartAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StartBefore = table.Column<long>(type: "INTEGER", nullable: true),
                    RecurringLogicId = table.Column<long>(type: "INTEGER", nullable: true),
                    Waves = table.Column<string>(type: "TEXT", nullable: true),
                    WavePauseSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    FailureThreshold = table.Column<string>(type: "TEXT", nullable: true),
                    TargetRunTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    HaltReason = table.Column<string>(type: "TEXT", nullable: true),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CancelReason = table.Column<string>(type: "TEXT", nullable: true),
                    Succeeded = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false),
                    Cancelled = table.Column<int>(type: "INTEGER", nullable: false),
                    RunningCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Pending = table.Column<int>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_templates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    JobCategory = table.Column<string>(type: "TEXT", nullable: false),
                    Script = table.Column<string>(type: "TEXT", nullable: false),
                    Inputs = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    EffectiveUser = table.Column<string>(type: "TEXT", nullable: true),
                    DefaultTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    DescriptionFormat = table.Column<string>(type: "TEXT", nullable: true),
                    Feature = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_templates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "output_chunks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CommandId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Stream = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_output_chunks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "recurring_logics",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CronLine = table.Column<string>(type: "TEXT", nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", nullable: true),
                    MaxIteration = table.Column<int>(type: "INTEGER", nullable: true),
                    EndTime = table.Column<long>(type: "INTEGER", nullable: true),
                    Purpose = table.Column<string>(type: "TEXT", nullable: true),
                    Iteration = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastOccurrence = table.Column<long>(type: "INTEGER", nullable: true),
                    NextOccurrence = table.Column<long>(type: "INTEGER", nullable: true),
                    FirstInvocationId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recurring_logics", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "remote_machines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SealedCredential = table.Column<string>(type: "TEXT", nullable: true),
                    UsePem = table.Column<bool>(type: "INTEGER", nullable: false),
                    InstallerHostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnrolledHostId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CredentialErasedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_machines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "stage_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InvocationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    Size = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HaltReason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stage_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "target_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InvocationId = table.Column<long>(type: "INTEGER", nullable: false),
                    StageRunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    DeviceName = table.Column<string>(type: "TEXT", nullable: false),
                    DeviceAlias = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    CommandId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HistoryText = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Username = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SecurityStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    FailedSignIns = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "headless_operation_notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OperationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Occurrence = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Succeeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Reply = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operation_notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_headless_operation_notifications_headless_operations_OperationId",
                        column: x => x.OperationId,
                        principalTable: "headless_operations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "child_hosts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ParentHostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_child_hosts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_child_hosts_hosts_ParentHostId",
                        column: x => x.ParentHostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "headless_operation_devices",
                columns: table => new
                {
                    OperationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeviceName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operation_devices", x => new { x.OperationId, x.Position });
                    table.ForeignKey(
                        name: "FK_headless_operation_devices_headless_operations_OperationId",
                        column: x => x.OperationId,
                        principalTable: "headless_operations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_headless_operation_devices_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inventory_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    BatchId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sections = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inventory_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_inventory_requests_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inventory_sections",
                columns: table => new
                {
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Section = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    ItemCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FullestPercent = table.Column<int>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inventory_sections", x => new { x.HostId, x.Section });
                    table.ForeignKey(
                        name: "FK_inventory_sections_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reboot_orchestrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ParentHostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ShutdownTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    ReconnectTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    InitiatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    InitiatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ShutdownCompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RebootIssuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RebootInvocationId = table.Column<long>(type: "INTEGER", nullable: true),
                    BootIdBeforeReboot = table.Column<string>(type: "TEXT", nullable: true),
                    AgentReconnectedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RestartCompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FailedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reboot_orchestrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_reboot_orchestrations_hosts_ParentHostId",
                        column: x => x.ParentHostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reenrolment_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hostname = table.Column<string>(type: "TEXT", nullable: false),
                    RemoteAddress = table.Column<string>(type: "TEXT", nullable: true),
                    BootId = table.Column<string>(type: "TEXT", nullable: true),
                    CurrentAgentAddress = table.Column<string>(type: "TEXT", nullable: true),
                    CurrentAgentBootId = table.Column<string>(type: "TEXT", nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reenrolment_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_reenrolment_requests_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "remote_installer",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DesignatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DesignatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_installer", x => x.Id);
                    table.ForeignKey(
                        name: "FK_remote_installer_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "headless_operation_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OperationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Occurrence = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    InvocationId = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operation_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_headless_operation_runs_headless_operations_OperationId",
                        column: x => x.OperationId,
                        principalTable: "headless_operations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_headless_operation_runs_invocations_InvocationId",
                        column: x => x.InvocationId,
                        principalTable: "invocations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reboot_orchestration_children",
                columns: table => new
                {
                    ChildId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrchestrationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", nullable: false),
                    PreRebootStatus = table.Column<string>(type: "TEXT", nullable: false),
                    StopStatus = table.Column<string>(type: "TEXT", nullable: false),
                    StopInvocationId = table.Column<long>(type: "INTEGER", nullable: true),
                    RestartStatus = table.Column<string>(type: "TEXT", nullable: false),
                    StartInvocationId = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reboot_orchestration_children", x => new { x.OrchestrationId, x.ChildId });
                    table.ForeignKey(
                        name: "FK_reboot_orchestration_children_reboot_orchestrations_OrchestrationId",
                        column: x => x.OrchestrationId,
                        principalTable: "reboot_orchestrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_CreatedAt",
                table: "agent_invocations",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_EngineInvocationId",
                table: "agent_invocations",
                column: "EngineInvocationId");

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_EnrolledHostId",
                table: "agent_invocations",
                column: "EnrolledHostId");

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_InstanceId",
                table: "agent_invocations",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_Status",
                table: "agent_invocations",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_api_tokens_Hash",
                table: "api_tokens",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_At",
                table: "audit_records",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_bookmarks_Name",
                table: "bookmarks",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_child_hosts_ParentHostId_Type_Name",
                table: "child_hosts",
                columns: new[] { "ParentHostId", "Type", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commands_HostId_Status",
                table: "commands",
                columns: new[] { "HostId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_commands_TargetRunId",
                table: "commands",
                column: "TargetRunId");

            migrationBuilder.CreateIndex(
                name: "IX_enrollment_tokens_CreatedAt",
                table: "enrollment_tokens",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_fleet_samples_At",
                table: "fleet_samples",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_headless_operation_devices_HostId",
                table: "headless_operation_devices",
                column: "HostId");

            migrationBuilder.CreateIndex(
                name: "IX_headless_operation_notifications_OperationId_Occurrence",
                table: "headless_operation_notifications",
                columns: new[] { "OperationId", "Occurrence" });

            migrationBuilder.CreateIndex(
                name: "IX_headless_operation_runs_InvocationId",
                table: "headless_operation_runs",
                column: "InvocationId");

            migrationBuilder.CreateIndex(
                name: "IX_headless_operation_runs_OperationId_Occurrence_Attempt",
                table: "headless_operation_runs",
                columns: new[] { "OperationId", "Occurrence", "Attempt" });

            migrationBuilder.CreateIndex(
                name: "IX_headless_operations_State",
                table: "headless_operations",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_hosts_Approval_Connectivity",
                table: "hosts",
                columns: new[] { "Approval", "Connectivity" });

            migrationBuilder.CreateIndex(
                name: "IX_hosts_Hostname",
                table: "hosts",
                column: "Hostname");

            migrationBuilder.CreateIndex(
                name: "IX_hosts_MachineId",
                table: "hosts",
                column: "MachineId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_install_tickets_AgentInvocationId",
                table: "install_tickets",
                column: "AgentInvocationId");

            migrationBuilder.CreateIndex(
                name: "IX_install_tickets_TokenHash",
                table: "install_tickets",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_inventory_requests_BatchId",
                table: "inventory_requests",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_inventory_requests_HostId_CompletedAt",
                table: "inventory_requests",
                columns: new[] { "HostId", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_invocations_CreatedAt",
                table: "invocations",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_invocations_RecurringLogicId",
                table: "invocations",
                column: "RecurringLogicId");

            migrationBuilder.CreateIndex(
                name: "IX_job_templates_Name",
                table: "job_templates",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_output_chunks_CommandId_Sequence",
                table: "output_chunks",
                columns: new[] { "CommandId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_reboot_orchestrations_ParentHostId_Status",
                table: "reboot_orchestrations",
                columns: new[] { "ParentHostId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_reboot_orchestrations_Status",
                table: "reboot_orchestrations",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_reenrolment_requests_HostId_Status",
                table: "reenrolment_requests",
                columns: new[] { "HostId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_remote_installer_HostId",
                table: "remote_installer",
                column: "HostId");

            migrationBuilder.CreateIndex(
                name: "IX_stage_runs_InvocationId",
                table: "stage_runs",
                column: "InvocationId");

            migrationBuilder.CreateIndex(
                name: "IX_target_runs_HostId_Status",
                table: "target_runs",
                columns: new[] { "HostId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_target_runs_InvocationId_Status",
                table: "target_runs",
                columns: new[] { "InvocationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_target_runs_InvocationId_UpdatedAt",
                table: "target_runs",
                columns: new[] { "InvocationId", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_target_runs_StageRunId_Status",
                table: "target_runs",
                columns: new[] { "StageRunId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_users_Username",
                table: "users",
                column: "Username",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_invocations");

            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "audit_records");

            migrationBuilder.DropTable(
                name: "bookmarks");

            migrationBuilder.DropTable(
                name: "child_hosts");

            migrationBuilder.DropTable(
                name: "commands");

            migrationBuilder.DropTable(
                name: "enrollment_tokens");

            migrationBuilder.DropTable(
                name: "fleet_samples");

            migrationBuilder.DropTable(
                name: "headless_operation_devices");

            migrationBuilder.DropTable(
                name: "headless_operation_notifications");

            migrationBuilder.DropTable(
                name: "headless_operation_runs");

            migrationBuilder.DropTable(
                name: "install_tickets");

            migrationBuilder.DropTable(
                name: "installation_secrets");

            migrationBuilder.DropTable(
                name: "inventory_requests");

            migrationBuilder.DropTable(
                name: "inventory_sections");

            migrationBuilder.DropTable(
                name: "job_templates");

            migrationBuilder.DropTable(
                name: "output_chunks");

            migrationBuilder.DropTable(
                name: "reboot_orchestration_children");

            migrationBuilder.DropTable(
                name: "recurring_logics");

            migrationBuilder.DropTable(
                name: "reenrolment_requests");

            migrationBuilder.DropTable(
                name: "remote_installer");

            migrationBuilder.DropTable(
                name: "remote_machines");

            migrationBuilder.DropTable(
                name: "stage_runs");

            migrationBuilder.DropTable(
                name: "target_runs");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "headless_operations");

            migrationBuilder.DropTable(
                name: "invocations");

            migrationBuilder.DropTable(
                name: "reboot_orchestrations");

            migrationBuilder.DropTable(
                name: "hosts");
        }
    }
}
