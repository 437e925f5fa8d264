namespace Fleet.Domain.Inventory;

/// <summary>
/// People's accounts and groups versus the system's own, by the id ranges Debian and Red Hat give them (login.defs:
/// UID_MIN 1000, UID_MAX 60000): root, service accounts and <c>nobody</c> (65534) fall outside.
/// </summary>
public static class AccountKinds
{
    public const int FirstPersonId = 1000;
    public const int LastPersonId = 59_999;

    public static bool IsPersonId(int id) => id is >= FirstPersonId and <= LastPersonId;

    public static bool IsPerson(this UserAccount user) => IsPersonId(user.Uid);

    public static bool IsPerson(this UserGroup group) => IsPersonId(group.Gid);
}
