/** "Apollo", "Apollo and Zeus", "Apollo, Hermes and Zeus": an invitation's projects in a sentence. */
export function projectNamesOf(projects: readonly { name: string }[] | undefined): string {
  const names = (projects ?? []).map((project) => project.name).sort((a, b) => a.localeCompare(b));
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
