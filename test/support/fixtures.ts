import type OpenAI from 'openai';
import type { TestRoster } from './roster.ts';

/** A new project of the SDK's organization, made (and archived, if asked) through the projects routes. */
export async function createProject(sdk: OpenAI, name: string, options: { archived?: boolean } = {}): Promise<string> {
  const project = await sdk.admin.organization.projects.create({ name });
  if (options.archived) await sdk.admin.organization.projects.archive(project.id);
  return project.id;
}

let organizations = 0;

/** A new organization and an SDK client on its key, so a test sees only what it makes there. */
export async function freshOrganization(roster: TestRoster): Promise<{ sdk: OpenAI; organizationId: string }> {
  const org = await roster.createOrganization(`fresh-${++organizations}-${process.pid}@example.com`);
  return { sdk: roster.client(org.adminKeyValue), organizationId: org.organizationId };
}
