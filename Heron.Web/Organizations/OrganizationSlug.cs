using System.Globalization;
using System.Text;

namespace Heron.Web.Organizations;

/// <summary>An organization's slug: the stable, URL-safe name its realms' usernames are made from.</summary>
public static class OrganizationSlug
{
    /// <summary>
    /// Lower-case letters, digits and single hyphens. A slug never ends like a realm username
    /// (<c>-dev</c>, <c>-internal</c>), so <c>acme-dev</c> always means Acme's development realm.
    /// </summary>
    public static string From(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (FoldLatin(c) is { } folded)
            {
                slug.Append(folded);
            }
            else if (char.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var result = slug.ToString().Trim('-');
        result = result.Length > 48 ? result[..48].TrimEnd('-') : result;
        if (result.Length == 0)
        {
            result = "org";
        }
        return result.EndsWith("-dev", StringComparison.Ordinal) || result.EndsWith("-internal", StringComparison.Ordinal)
            ? result + "-org"
            : result;
    }

    /// <summary>
    /// The ASCII spelling of a lower-case Latin letter with a diacritic (Latin-1 and Latin Extended-A).
    /// A table rather than <see cref="string.Normalize()"/>: the app runs with invariant globalization,
    /// where normalization leaves <c>é</c> composed, so <c>Café</c> became <c>caf</c>.
    /// </summary>
    private static string? FoldLatin(char c) => c switch
    {
        'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' or 'ā' or 'ă' or 'ą' => "a",
        'æ' => "ae",
        'ç' or 'ć' or 'ĉ' or 'ċ' or 'č' => "c",
        'ð' or 'ď' or 'đ' => "d",
        'è' or 'é' or 'ê' or 'ë' or 'ē' or 'ĕ' or 'ė' or 'ę' or 'ě' => "e",
        'ĝ' or 'ğ' or 'ġ' or 'ģ' => "g",
        'ĥ' or 'ħ' => "h",
        'ì' or 'í' or 'î' or 'ï' or 'ĩ' or 'ī' or 'ĭ' or 'į' or 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' or 'ĸ' => "k",
        'ĺ' or 'ļ' or 'ľ' or 'ŀ' or 'ł' => "l",
        'ñ' or 'ń' or 'ņ' or 'ň' or 'ŉ' or 'ŋ' => "n",
        'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' or 'ō' or 'ŏ' or 'ő' => "o",
        'œ' => "oe",
        'ŕ' or 'ŗ' or 'ř' => "r",
        'ś' or 'ŝ' or 'ş' or 'š' or 'ſ' => "s",
        'ß' => "ss",
        'ţ' or 'ť' or 'ŧ' => "t",
        'þ' => "th",
        'ù' or 'ú' or 'û' or 'ü' or 'ũ' or 'ū' or 'ŭ' or 'ů' or 'ű' or 'ų' => "u",
        'ŵ' => "w",
        'ý' or 'ÿ' or 'ŷ' => "y",
        'ź' or 'ż' or 'ž' => "z",
        _ => null,
    };
}
