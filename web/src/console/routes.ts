import type { ComponentType } from 'preact';
import type { Role } from '#shared/auth/roles.ts';
import type { MessageKey } from '../messages/uk.ts';

/**
 * The staff console's pages. Each page is its own chunk, loaded when opened; none of this is code
 * a citizen's page downloads (the app loads the console only for a path under /council,
 * /moderation or /console). A page names the roles that may open it; the navigation shows a
 * person only the pages their roles open. The API checks roles again: this is convenience, not
 * security.
 */
export interface ConsoleRoute {
  /** Matched against the path; named groups become the page's props. */
  pattern: RegExp;
  roles: readonly Role[];
  load: () => Promise<ComponentType<Record<string, string>>>;
  /** Shown in the console's navigation when set (a page without it is reached from another page). */
  nav?: { href: string; label: MessageKey };
}

export const consoleRoutes: ConsoleRoute[] = [
  // Each area adds its pages here.
  { pattern: /^\/council$/, roles: ['council'], load: () => import('./council/inbox.tsx').then((m) => m.CouncilInboxPage), nav: { href: '/council', label: 'console.nav.council' } },
  {
    pattern: /^\/council\/petitions\/(?<id>[0-9a-f-]{36})$/i,
    roles: ['council'],
    load: () => import('./council/respond.tsx').then((m) => m.CouncilPetitionPage as ComponentType<Record<string, string>>),
  },
  { pattern: /^\/council\/audit$/, roles: ['council', 'moderator'], load: () => import('./council/audit.tsx').then((m) => m.AuditPage), nav: { href: '/council/audit', label: 'console.nav.audit' } },
  {
    pattern: /^\/console\/consultations$/,
    roles: ['council'],
    load: () => import('./consultations/list.tsx').then((m) => m.ConsultationsPage),
    nav: { href: '/console/consultations', label: 'console.nav.consultations' },
  },
  { pattern: /^\/console\/consultations\/new$/, roles: ['council'], load: () => import('./consultations/builder.tsx').then((m) => m.ConsultationBuilderPage) },
  {
    pattern: /^\/console\/consultations\/(?<id>[0-9a-f-]{36})$/i,
    roles: ['council'],
    load: () => import('./consultations/detail.tsx').then((m) => m.ConsultationDetailPage as ComponentType<Record<string, string>>),
  },
  { pattern: /^\/moderation$/, roles: ['moderator'], load: () => import('./moderation/queue.tsx').then((m) => m.ModerationPage), nav: { href: '/moderation', label: 'console.nav.moderation' } },
  {
    pattern: /^\/moderation\/consultations$/,
    roles: ['moderator'],
    load: () => import('./moderation/contributions.tsx').then((m) => m.ContributionsPickerPage),
    nav: { href: '/moderation/consultations', label: 'console.nav.contributions' },
  },
  {
    pattern: /^\/moderation\/consultations\/(?<id>[0-9a-f-]{36})$/i,
    roles: ['moderator'],
    load: () => import('./moderation/contributions.tsx').then((m) => m.ContributionsPage as ComponentType<Record<string, string>>),
  },
  // Participatory budgets (council) and school staff.
  { pattern: /^\/console\/budgets$/, roles: ['council'], load: () => import('./budgets/list.tsx').then((m) => m.BudgetsPage), nav: { href: '/console/budgets', label: 'console.nav.budgets' } },
  { pattern: /^\/console\/budgets\/new$/, roles: ['council'], load: () => import('./budgets/create.tsx').then((m) => m.CreateBudgetPage) },
  { pattern: /^\/console\/budgets\/import$/, roles: ['council'], load: () => import('./budgets/import.tsx').then((m) => m.ImportBudgetPage) },
  { pattern: /^\/console\/budgets\/(?<id>[0-9a-f-]{36})$/i, roles: ['council'], load: () => import('./budgets/budget.tsx').then((m) => m.BudgetOverviewPage as ComponentType<Record<string, string>>) },
  { pattern: /^\/console\/budgets\/(?<id>[0-9a-f-]{36})\/paper$/i, roles: ['council'], load: () => import('./budgets/paper.tsx').then((m) => m.PaperBallotsPage as ComponentType<Record<string, string>>) },
  { pattern: /^\/console\/budgets\/(?<id>[0-9a-f-]{36})\/results$/i, roles: ['council'], load: () => import('./budgets/results.tsx').then((m) => m.BudgetResultsPage as ComponentType<Record<string, string>>) },
  { pattern: /^\/console\/school$/, roles: ['school-admin'], load: () => import('./school/school.tsx').then((m) => m.SchoolPage), nav: { href: '/console/school', label: 'console.nav.school' } },
];

export function matchConsole(path: string): { route: ConsoleRoute; props: Record<string, string> } | undefined {
  for (const route of consoleRoutes) {
    const m = route.pattern.exec(path);
    if (m) return { route, props: { ...(m.groups ?? {}) } };
  }
  return undefined;
}
