using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PressMcp.Activity;

/// <summary>
/// Ids of ability calls (<see cref="ActivityEntry.CallId"/>, <see cref="ChangeRecord.CallId"/>, an export's job id): UUID
/// version 7 (RFC 9562 §5.7), the call's time in milliseconds, then 74 random bits. Time first, so each new entry goes at
/// the end of the activity log's call-id index rather than onto a random page of it: a random id dirtied a page of that
/// index for nearly every entry, more of them as the log grows. The random bits come from a per-thread buffer of
/// cryptographically random bytes, refilled every 400 ids: <c>Guid.NewGuid</c> asks the kernel (getrandom) once per id,
/// which cost a trivial call as much as its whole permission decision.
/// </summary>
internal static class CallIds
{
    private const int RandomBytes = 10;
    private const int BufferBytes = RandomBytes * 400;

    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_used;

    public static Guid New(DateTimeOffset at)
    {
        var random = t_random;
        if (random is null || t_used == random.Length)
        {
            random = t_random ??= new byte[BufferBytes];
            RandomNumberGenerator.Fill(random);
            t_used = 0;
        }
        var r = random.AsSpan(t_used, RandomBytes);
        t_used += RandomBytes;
        // 48 bits of Unix milliseconds, the version (7) over 12 random bits, the variant (10) over 62 random bits.
        var ms = (ulong)Math.Max(0, at.ToUnixTimeMilliseconds());
        return new Guid((int)(ms >> 16), (short)ms, (short)(0x7000 | (BinaryPrimitives.ReadUInt16LittleEndian(r) & 0x0FFF)),
            (byte)(0x80 | (r[2] & 0x3F)), r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
    }
}
