using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fleet.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agent_invocations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    Target = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    InstanceKind = table.Column<int>(type: "integer", nullable: false),
                    InstanceName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    RunsOnHostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    VersionBefore = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TargetVersion = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    VersionAfter = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ErrorCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    EngineInvocationId = table.Column<long>(type: "bigint", nullable: true),
                    TargetRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    EnrolledHostId = table.Column<Guid>(type: "uuid", nullable: true),
                    RunSucceeded = table.Column<bool>(type: "boolean", nullable: false),
                    RetryOf = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RollbackOf = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RolledBackBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Origin = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agent_invocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Role = table.Column<string>(type: "text", nullable: false),
                    Prefix = table.Column<string>(type: "text", nullable: false),
                    Hash = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "audit_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ActorKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Action = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Target = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Address = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "bookmarks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Query = table.Column<string>(type: "text", nullable: false),
                    Controller = table.Column<string>(type: "text", nullable: false),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    Public = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bookmarks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commands",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TargetRunId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Script = table.Column<string>(type: "text", nullable: false),
                    SealedScript = table.Column<string>(type: "text", nullable: true),
                    EffectiveUser = table.Column<string>(type: "text", nullable: true),
                    TimeoutSeconds = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ExitCode = table.Column<int>(type: "integer", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResultDeadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PickupDeadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LateExitCode = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commands", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enrollment_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Hash = table.Column<string>(type: "text", nullable: false),
                    Prefix = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enrollment_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "fleet_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    Online = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fleet_samples", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "headless_operations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    ParametersJson = table.Column<string>(type: "text", nullable: false),
                    ScheduleType = table.Column<int>(type: "integer", nullable: false),
                    ScheduledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Cron = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    MaxAttempts = table.Column<int>(type: "integer", nullable: false),
                    RetryDelayMinutes = table.Column<int>(type: "integer", nullable: false),
                    NotifyOnCompletion = table.Column<bool>(type: "boolean", nullable: false),
                    NotifyOnFailure = table.Column<bool>(type: "boolean", nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    WebhookUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    ListUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    NextExecution = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Occurrences = table.Column<int>(type: "integer", nullable: false),
                    LastStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MachineId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Hostname = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Approval = table.Column<int>(type: "integer", nullable: false),
                    Connectivity = table.Column<int>(type: "integer", nullable: false),
                    EnrolledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SecretHash = table.Column<string>(type: "text", nullable: true),
                    SecretIssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SecretConfirmedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SecretRevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AgentAddress = table.Column<string>(type: "text", nullable: true),
                    AgentBootId = table.Column<string>(type: "text", nullable: true),
                    OfflineSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DuplicateSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DuplicateDetail = table.Column<string>(type: "text", nullable: true),
                    Platform = table.Column<string>(type: "text", nullable: false),
                    OsVersion = table.Column<string>(type: "text", nullable: false),
                    KernelVersion = table.Column<string>(type: "text", nullable: false),
                    AgentVersion = table.Column<string>(type: "text", nullable: false),
                    CpuCount = table.Column<int>(type: "integer", nullable: false),
                    CpuModel = table.Column<string>(type: "text", nullable: false),
                    MemoryTotalBytes = table.Column<long>(type: "bigint", nullable: false),
                    UptimeSeconds = table.Column<long>(type: "bigint", nullable: false),
                    IpAddress = table.Column<string>(type: "text", nullable: false),
                    SerialNumber = table.Column<string>(type: "text", nullable: true),
                    Model = table.Column<string>(type: "text", nullable: true),
                    Manufacturer = table.Column<string>(type: "text", nullable: true),
                    Location = table.Column<string>(type: "text", nullable: true),
                    InventoryHash = table.Column<string>(type: "text", nullable: true),
                    InventoryUpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    HasContainerEngine = table.Column<bool>(type: "boolean", nullable: false),
                    ChildrenReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "install_tickets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AgentInvocationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UsedByHostId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_install_tickets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "installation_secrets",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_installation_secrets", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "invocations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    JobCategory = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    TemplateId = table.Column<long>(type: "bigint", nullable: true),
                    TemplateName = table.Column<string>(type: "text", nullable: false),
                    Feature = table.Column<string>(type: "text", nullable: true),
                    Origin = table.Column<int>(type: "integer", nullable: false),
                    CommandKind = table.Column<int>(type: "integer", nullable: false),
                    Script = table.Column<string>(type: "text", nullable: false),
                    SealedScript = table.Column<string>(type: "text", nullable: true),
                    InputsJson = table.Column<string>(type: "text", nullable: false),
                    EffectiveUser = table.Column<string>(type: "text", nullable: true),
                    TargetingType = table.Column<int>(type: "integer", nullable: false),
                    SearchQuery = table.Column<string>(type: "text", nullable: true),
                    BookmarkId = table.Column<long>(type: "bigint", nullable: true),
                    RandomizedOrdering = table.Column<bool>(type: "boolean", nullable: false),
                    ConcurrencyLevel = table.Column<int>(type: "integer", nullable: true),
                    TimeToPickupSeconds = table.Column<int>(type: "integer", nullable: true),
                    ExecutionTimeoutSeconds = table.Column<int>(type: "integer", nullable: true),
                    StartAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StartBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RecurringLogicId = table.Column<long>(type: "bigint", nullable: true),
                    Waves = table.Column<string>(type: "text", nullable: true),
                    WavePauseSeconds = table.Column<int>(type: "integer", nullable: true),
                    FailureThreshold = table.Column<string>(type: "text", nullable: true),
                    TargetRunTimeoutSeconds = table.Column<int>(type: "integer", nullable: true),
                    HaltReason = table.Column<string>(type: "text", nullable: true),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    TaskId = table.Column<Guid>(type: "uuid", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelReason = table.Column<string>(type: "text", nullable: true),
                    Succeeded = table.Column<int>(type: "integer", nullable: false),
                    Failed = table.Column<int>(type: "integer", nullable: false),
                    Cancelled = table.Column<int>(type: "integer", nullable: false),
                    RunningCount = table.Column<int>(type: "integer", nullable: false),
                    Pending = table.Column<int>(type: "integer", nullable: false),
                    Outcome = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_templates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "text", nullable: false),
                    JobCategory = table.Column<string>(type: "text", nullable: false),
                    Script = table.Column<string>(type: "text", nullable: false),
                    Inputs = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    EffectiveUser = table.Column<string>(type: "text", nullable: true),
                    DefaultTimeoutSeconds = table.Column<int>(type: "integer", nullable: true),
                    DescriptionFormat = table.Column<string>(type: "text", nullable: true),
                    Feature = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_templates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "output_chunks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CommandId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    Stream = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_output_chunks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "recurring_logics",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CronLine = table.Column<string>(type: "text", nullable: false),
                    TimeZone = table.Column<string>(type: "text", nullable: true),
                    MaxIteration = table.Column<int>(type: "integer", nullable: true),
                    EndTime = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Purpose = table.Column<string>(type: "text", nullable: true),
                    Iteration = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastOccurrence = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NextOccurrence = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FirstInvocationId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recurring_logics", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "remote_machines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Port = table.Column<int>(type: "integer", nullable: false),
                    UserName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SealedCredential = table.Column<string>(type: "text", nullable: true),
                    UsePem = table.Column<bool>(type: "boolean", nullable: false),
                    InstallerHostId = table.Column<Guid>(type: "uuid", nullable: false),
                    EnrolledHostId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CredentialErasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_machines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "stage_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InvocationId = table.Column<long>(type: "bigint", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    Size = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HaltReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stage_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "target_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InvocationId = table.Column<long>(type: "bigint", nullable: false),
                    StageRunId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    DeviceName = table.Column<string>(type: "text", nullable: false),
                    DeviceAlias = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    CommandId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HistoryText = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Username = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: false),
                    Role = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SecurityStamp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Disabled = table.Column<bool>(type: "boolean", nullable: false),
                    FailedSignIns = table.Column<int>(type: "integer", nullable: false),
                    LockedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "headless_operation_notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OperationId = table.Column<long>(type: "bigint", nullable: false),
                    Occurrence = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<int>(type: "integer", nullable: false),
                    Target = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    Succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: true),
                    Reply = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operation_notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_headless_operation_notifications_headless_operations_Operat~",
                        column: x => x.OperationId,
                        principalTable: "headless_operations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "child_hosts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ParentHostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Status = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    OperationId = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeviceName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BatchId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sections = table.Column<int>(type: "integer", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Section = table.Column<int>(type: "integer", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    ItemCount = table.Column<int>(type: "integer", nullable: false),
                    FullestPercent = table.Column<int>(type: "integer", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ParentHostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ShutdownTimeoutSeconds = table.Column<int>(type: "integer", nullable: false),
                    ReconnectTimeoutSeconds = table.Column<int>(type: "integer", nullable: false),
                    InitiatedBy = table.Column<string>(type: "text", nullable: false),
                    InitiatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ShutdownCompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RebootIssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RebootInvocationId = table.Column<long>(type: "bigint", nullable: true),
                    BootIdBeforeReboot = table.Column<string>(type: "text", nullable: true),
                    AgentReconnectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RestartCompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FailedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ErrorMessage = table.Column<string>(type: "text", nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Hostname = table.Column<string>(type: "text", nullable: false),
                    RemoteAddress = table.Column<string>(type: "text", nullable: true),
                    BootId = table.Column<string>(type: "text", nullable: true),
                    CurrentAgentAddress = table.Column<string>(type: "text", nullable: true),
                    CurrentAgentBootId = table.Column<string>(type: "text", nullable: true),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastRequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    DesignatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DesignatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OperationId = table.Column<long>(type: "bigint", nullable: false),
                    Occurrence = table.Column<int>(type: "integer", nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    InvocationId = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    ChildId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrchestrationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Type = table.Column<string>(type: "text", nullable: false),
                    PreRebootStatus = table.Column<string>(type: "text", nullable: false),
                    StopStatus = table.Column<string>(type: "text", nullable: false),
                    StopInvocationId = table.Column<long>(type: "bigint", nullable: true),
                    RestartStatus = table.Column<string>(type: "text", nullable: false),
                    StartInvocationId = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reboot_orchestration_children", x => new { x.OrchestrationId, x.ChildId });
                    table.ForeignKey(
                        name: "FK_reboot_orchestration_children_reboot_orchestrations_Orchest~",
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
