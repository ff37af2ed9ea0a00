// Raw provider settings from environment variables: each provider names, once, the variable each setting is read from
// (`baseUrl` -> `XERO_BASE_URL`), and that one table reads the environment, names problems and feeds the reference.

/** Raw settings from the variables of `variables` (setting -> variable); an empty variable counts as unset. */
export function settingsFromVariables(
  env: Record<string, string | undefined>,
  variables: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [setting, variable] of Object.entries(variables)) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw[setting] = value;
  }
  return raw;
}
