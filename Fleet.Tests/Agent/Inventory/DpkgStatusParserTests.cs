using System.Text;
using Fleet.Agent.Inventory;

namespace Fleet.Tests.Agent.Inventory;

public sealed class DpkgStatusParserTests : IDisposable
{
    private const string Status = """
        Package: bash
        Essential: yes
        Status: install ok installed
        Priority: required
        Section: shells
        Installed-Size: 7163
        Maintainer: Matthias Klose <doko@debian.org>
        Architecture: amd64
        Version: 5.2.15-2+b7
        Depends: base-files (>= 2.1.12), debianutils (>= 5.6-0.1)
        Conffiles:
         /etc/bash.bashrc 89269e1298235f1b12b4c16e4065ad0d
         /etc/skel/.bashrc 7a0c2cba2c3a5ed3c1c1e3a2d3f5a1ee
        Description: GNU Bourne Again SHell
         Bash is an sh-compatible command language interpreter that executes
         commands read from the standard input or from a file.
         .
         Bash is ultimately intended to be a conformant implementation.
        Homepage: http://tiswww.case.edu/php/chet/bash/bashtop.html

        Package: old-kernel
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 6.1.0-9
        Description: removed package whose config files remain

        Package: tzdata
        Status: install ok installed
        Architecture: all
        Version: 2024a-0+deb12u1
        Description: time zone and daylight-saving time data
         This package contains data required for the implementation of
         standard local time for many representative locations.

        Package: libc6
        Status: hold ok installed
        Multi-Arch: same
        Architecture: amd64
        Version: 2.36-9+deb12u7
        Description: GNU C Library: Shared libraries
        """;

    private readonly FixtureRoot _root = new();

    public void Dispose() => _root.Dispose();

    private IReadOnlyList<Fleet.Domain.Inventory.SoftwarePackage> ParseFixture(Func<string, string, DateTimeOffset?>? installDate = null)
    {
        _root.Write("/var/lib/dpkg/status", Status);
        using var reader = _root.Open("/var/lib/dpkg/status");
        return DpkgStatusParser.Parse(reader, installDate);
    }

    [Fact]
    public void Parse_SkipsPackagesNotInstalled()
    {
        var names = ParseFixture().Select(p => p.Name).ToList();

        Assert.Equal(["bash", "tzdata", "libc6"], names);
        Assert.DoesNotContain("old-kernel", names);
    }

    [Fact]
    public void Parse_TakesFirstLineOfMultiLineDescription()
    {
        var bash = ParseFixture().Single(p => p.Name == "bash");

        Assert.Equal("GNU Bourne Again SHell", bash.Description);
        Assert.Equal("5.2.15-2+b7", bash.Version);
        Assert.Equal("amd64", bash.Architecture);
        Assert.Equal("installed", bash.Status);
    }

    [Fact]
    public void Parse_CountsHeldPackagesAsInstalled()
    {
        Assert.Contains(ParseFixture(), p => p.Name == "libc6" && p.Version == "2.36-9+deb12u7");
    }

    [Fact]
    public void Parse_LastStanzaWithoutTrailingBlankLineIsKept()
    {
        Assert.Equal("libc6", ParseFixture()[^1].Name);
    }

    [Fact]
    public void Parse_AsksInstallDateByNameAndArchitecture()
    {
        var asked = new List<string>();
        var when = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);

        var packages = ParseFixture((name, arch) =>
        {
            asked.Add($"{name}:{arch}");
            return name == "tzdata" ? when : null;
        });

        Assert.Equal(["bash:amd64", "tzdata:all", "libc6:amd64"], asked);
        Assert.Equal(when, packages.Single(p => p.Name == "tzdata").InstallDate);
        Assert.Null(packages.Single(p => p.Name == "bash").InstallDate);
    }

    [Fact]
    public void Parse_TwoThousandPackagesStaysFast()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            sb.Append("Package: pkg").Append(i).Append("\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-").Append(i)
              .Append("\nDepends: libc6 (>= 2.34), zlib1g\nDescription: package ").Append(i)
              .Append("\n a longer description that goes on\n for a few lines\n .\n and more\n\n");
        }
        _root.Write("/var/lib/dpkg/status", sb.ToString());
        using var reader = _root.Open("/var/lib/dpkg/status");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var packages = DpkgStatusParser.Parse(reader);

        Assert.Equal(2000, packages.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"parsing took {watch.Elapsed}");
    }
}
