namespace PressMcp.Abilities;

/// <summary>
/// The JSON Schema of a type read and written by a converter of its own (an id or a name): the exporter cannot see
/// through the converter, so the type says what it accepts. <see cref="AbilitySchema"/> puts it in place.
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class)]
internal sealed class JsonSchemaTextAttribute(string schema) : Attribute
{
    public string Schema { get; } = schema;
}
