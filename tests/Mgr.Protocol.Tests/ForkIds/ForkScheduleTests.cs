using Mgr.Protocol.ForkIds;
using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Tests.ForkIds;

/// <summary>The test suites of EIP-2124 and EIP-6122, verbatim.</summary>
public sealed class ForkScheduleTests
{
    private static readonly Hash256 MainnetGenesis = Hash256.Parse("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3");
    private static readonly Hash256 RopstenGenesis = Hash256.Parse("0x41941023680923e0fe4d74a34bdac8141f2540e3ae90623718e47d66d1ca4a2d");
    private static readonly Hash256 RinkebyGenesis = Hash256.Parse("0x6341fd3daf94b748c72ced5a5b26028f2474f5f00d824504e4fa37a75767e177");
    private static readonly Hash256 GoerliGenesis = Hash256.Parse("0xbf7e331f7f7c1dd2e05159666b3bf8bc7a8a3a9eb1d518969eab529dd9b88c1a");

    // Petersburg-era configurations as in EIP-2124 (Constantinople and Petersburg share 7,280,000 on mainnet).
    private static readonly ForkSchedule Mainnet2124 = new(MainnetGenesis, [1_150_000, 1_920_000, 2_463_000, 2_675_000, 4_370_000, 7_280_000, 7_280_000], []);
    private static readonly ForkSchedule Ropsten = new(RopstenGenesis, [0, 0, 10, 1_700_000, 4_230_000, 4_939_394, 6_485_846], []);
    private static readonly ForkSchedule Rinkeby = new(RinkebyGenesis, [1, 2, 3, 1_035_301, 3_660_663, 4_321_234, 5_435_345], []);
    private static readonly ForkSchedule Goerli = new(GoerliGenesis, [0, 0, 0, 0, 0, 0, 0, 1_561_651], []);

    // EIP-6122: mainnet through Gray Glacier, a merge netsplit block at 18,000,000 and withdrawals at time 1,668,000,000.
    private static readonly ForkSchedule MainnetWithdrawals = new(MainnetGenesis,
        [1_150_000, 1_920_000, 2_463_000, 2_675_000, 4_370_000, 7_280_000, 7_280_000, 9_069_000, 9_200_000, 12_244_000, 12_965_000, 13_773_000, 15_050_000, 18_000_000],
        [1_668_000_000]);

    public static TheoryData<string, ulong, uint, ulong> Eip2124Ids() => new()
    {
        { "mainnet", 0, 0xfc64ec04, 1150000 }, { "mainnet", 1149999, 0xfc64ec04, 1150000 },
        { "mainnet", 1150000, 0x97c2c34c, 1920000 }, { "mainnet", 1919999, 0x97c2c34c, 1920000 },
        { "mainnet", 1920000, 0x91d1f948, 2463000 }, { "mainnet", 2462999, 0x91d1f948, 2463000 },
        { "mainnet", 2463000, 0x7a64da13, 2675000 }, { "mainnet", 2674999, 0x7a64da13, 2675000 },
        { "mainnet", 2675000, 0x3edd5b10, 4370000 }, { "mainnet", 4369999, 0x3edd5b10, 4370000 },
        { "mainnet", 4370000, 0xa00bc324, 7280000 }, { "mainnet", 7279999, 0xa00bc324, 7280000 },
        { "mainnet", 7280000, 0x668db0af, 0 }, { "mainnet", 7987396, 0x668db0af, 0 },
        { "ropsten", 0, 0x30c7ddbc, 10 }, { "ropsten", 9, 0x30c7ddbc, 10 },
        { "ropsten", 10, 0x63760190, 1700000 }, { "ropsten", 1699999, 0x63760190, 1700000 },
        { "ropsten", 1700000, 0x3ea159c7, 4230000 }, { "ropsten", 4229999, 0x3ea159c7, 4230000 },
        { "ropsten", 4230000, 0x97b544f3, 4939394 }, { "ropsten", 4939393, 0x97b544f3, 4939394 },
        { "ropsten", 4939394, 0xd6e2149b, 6485846 }, { "ropsten", 6485845, 0xd6e2149b, 6485846 },
        { "ropsten", 6485846, 0x4bc66396, 0 }, { "ropsten", 7500000, 0x4bc66396, 0 },
        { "rinkeby", 0, 0x3b8e0691, 1 }, { "rinkeby", 1, 0x60949295, 2 }, { "rinkeby", 2, 0x8bde40dd, 3 },
        { "rinkeby", 3, 0xcb3a64bb, 1035301 }, { "rinkeby", 1035300, 0xcb3a64bb, 1035301 },
        { "rinkeby", 1035301, 0x8d748b57, 3660663 }, { "rinkeby", 3660662, 0x8d748b57, 3660663 },
        { "rinkeby", 3660663, 0xe49cab14, 4321234 }, { "rinkeby", 4321233, 0xe49cab14, 4321234 },
        { "rinkeby", 4321234, 0xafec6b27, 5435345 }, { "rinkeby", 5435344, 0xafec6b27, 5435345 },
        { "rinkeby", 5435345, 0xcbdb8838, 0 }, { "rinkeby", 6000000, 0xcbdb8838, 0 },
        { "goerli", 0, 0xa3f5ab08, 1561651 }, { "goerli", 1561650, 0xa3f5ab08, 1561651 },
        { "goerli", 1561651, 0xc25efa5c, 0 }, { "goerli", 2000000, 0xc25efa5c, 0 },
    };

    [Theory, MemberData(nameof(Eip2124Ids))]
    public void Computes_the_eip_2124_fork_ids(string network, ulong head, uint hash, ulong next)
    {
        ForkSchedule schedule = network switch { "mainnet" => Mainnet2124, "ropsten" => Ropsten, "rinkeby" => Rinkeby, _ => Goerli };

        Assert.Equal(new ForkId(hash, next), schedule.ForkIdAt(head, 0));
    }

    public static TheoryData<ulong, ulong, uint, ulong> Eip6122Ids() => new()
    {
        { 0, 0, 0xfc64ec04, 1150000 }, { 1149999, 0, 0xfc64ec04, 1150000 },
        { 1150000, 0, 0x97c2c34c, 1920000 }, { 1919999, 0, 0x97c2c34c, 1920000 },
        { 1920000, 0, 0x91d1f948, 2463000 }, { 2462999, 0, 0x91d1f948, 2463000 },
        { 2463000, 0, 0x7a64da13, 2675000 }, { 2674999, 0, 0x7a64da13, 2675000 },
        { 2675000, 0, 0x3edd5b10, 4370000 }, { 4369999, 0, 0x3edd5b10, 4370000 },
        { 4370000, 0, 0xa00bc324, 7280000 }, { 7279999, 0, 0xa00bc324, 7280000 },
        { 7280000, 0, 0x668db0af, 9069000 }, { 9068999, 0, 0x668db0af, 9069000 },
        { 9069000, 0, 0x879d6e30, 9200000 }, { 9199999, 0, 0x879d6e30, 9200000 },
        { 9200000, 0, 0xe029e991, 12244000 }, { 12243999, 0, 0xe029e991, 12244000 },
        { 12244000, 0, 0x0eb440f6, 12965000 }, { 12964999, 0, 0x0eb440f6, 12965000 },
        { 12965000, 0, 0xb715077d, 13773000 }, { 13772999, 0, 0xb715077d, 13773000 },
        { 13773000, 0, 0x20c327fc, 15050000 }, { 15049999, 0, 0x20c327fc, 15050000 },
        { 15050000, 0, 0xf0afd0e3, 18000000 },
        { 18000000, 0, 0x4fb8a872, 1668000000 }, { 20000000, 0, 0x4fb8a872, 1668000000 },
        { 20000000, 1668000000, 0xc1fdf181, 0 }, { 20100000, 2669000000, 0xc1fdf181, 0 },
    };

    [Theory, MemberData(nameof(Eip6122Ids))]
    public void Computes_the_eip_6122_fork_ids(ulong head, ulong time, uint hash, ulong next)
    {
        Assert.Equal(new ForkId(hash, next), MainnetWithdrawals.ForkIdAt(head, time));
    }

    public static TheoryData<ulong, uint, ulong, ForkIdValidation> Eip2124Validation() => new()
    {
        { 7987396, 0x668db0af, 0, ForkIdValidation.Accept },
        { 7987396, 0x668db0af, ulong.MaxValue, ForkIdValidation.Accept },
        { 7279999, 0xa00bc324, 0, ForkIdValidation.Accept },
        { 7279999, 0xa00bc324, 7280000, ForkIdValidation.Accept },
        { 7279999, 0xa00bc324, ulong.MaxValue, ForkIdValidation.Accept },
        { 7987396, 0xa00bc324, 7280000, ForkIdValidation.Accept },
        { 7987396, 0x3edd5b10, 4370000, ForkIdValidation.Accept },
        { 7279999, 0x668db0af, 0, ForkIdValidation.Accept },
        { 4369999, 0xa00bc324, 0, ForkIdValidation.Accept },
        { 7987396, 0xa00bc324, 0, ForkIdValidation.RemoteStale },
        { 7987396, 0x5cddc0e1, 0, ForkIdValidation.LocalIncompatibleOrStale },
        { 7279999, 0x5cddc0e1, 0, ForkIdValidation.LocalIncompatibleOrStale },
        { 7987396, 0xafec6b27, 0, ForkIdValidation.LocalIncompatibleOrStale },
        { 88888888, 0x668db0af, 88888888, ForkIdValidation.LocalIncompatibleOrStale },
        { 7279999, 0xa00bc324, 7279999, ForkIdValidation.LocalIncompatibleOrStale },
    };

    [Theory, MemberData(nameof(Eip2124Validation))]
    public void Validates_remote_ids_as_eip_2124_says(ulong head, uint hash, ulong next, ForkIdValidation expected)
    {
        Assert.Equal(expected, Mainnet2124.Validate(new ForkId(hash, next), head, 0));
    }

    public static TheoryData<ulong, ulong, uint, ulong, ForkIdValidation> Eip6122Validation() => new()
    {
        { 20000000, 1668000001, 0xc1fdf181, 0, ForkIdValidation.Accept },
        { 20000000, 1668000001, 0xc1fdf181, ulong.MaxValue, ForkIdValidation.Accept },
        { 7279999, 1667999999, 0xa00bc324, 0, ForkIdValidation.Accept },
        { 7279999, 1667999999, 0xa00bc324, 7280000, ForkIdValidation.Accept },
        { 7279999, 1667999999, 0xa00bc324, ulong.MaxValue, ForkIdValidation.Accept },
        { 20000000, 1668000000, 0xa00bc324, 7280000, ForkIdValidation.Accept },
        { 20000000, 1668000001, 0xa00bc324, 7280000, ForkIdValidation.Accept },
        { 20000000, 1668000001, 0x3edd5b10, 4370000, ForkIdValidation.Accept },
        { 7279999, 1667999999, 0x668db0af, 0, ForkIdValidation.Accept },
        { 4369999, 1667999999, 0xa00bc324, 0, ForkIdValidation.Accept },
        { 20000000, 1668000001, 0xa00bc324, 0, ForkIdValidation.RemoteStale },
        { 20000000, 1668000001, 0x5cddc0e1, 0, ForkIdValidation.LocalIncompatibleOrStale },
        { 20000000, 1668000001, 0xafec6b27, 0, ForkIdValidation.LocalIncompatibleOrStale },
        { 88888888, 1668000001, 0xf0afd0e3, 88888888, ForkIdValidation.RemoteStale },
        { 20000000, 1668000001, 0xa00bc324, 7279999, ForkIdValidation.RemoteStale },
    };

    [Theory, MemberData(nameof(Eip6122Validation))]
    public void Validates_remote_ids_as_eip_6122_says(ulong head, ulong time, uint hash, ulong next, ForkIdValidation expected)
    {
        Assert.Equal(expected, MainnetWithdrawals.Validate(new ForkId(hash, next), head, time));
    }

    [Fact]
    public void Hashes_a_timestamp_fork_after_homestead_as_eip_6122_shows()
    {
        var schedule = new ForkSchedule(MainnetGenesis, [1_150_000], [1_668_000_000]);

        Assert.Equal(new ForkId(0xcb37b2ee, 0), schedule.ForkIdAt(1_150_000, 1_668_000_000));
    }
}
