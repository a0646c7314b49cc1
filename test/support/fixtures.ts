import type OpenAI from 'openai';

/** A new project of the SDK's organization, made (and archived, if asked) through the projects routes. */
export async function createProject(sdk: OpenAI, name: string, options: { archived?: boolean } = {}): Promise<string> {
  const project = await sdk.admin.organization.projects.create({ name });
  if (options.archived) await sdk.admin.organization.projects.archive(project.id);
  return project.id;
}
