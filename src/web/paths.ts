/** Every path of the web app, used by routes and templates alike. */
export const paths = {
  home: '/',
  setup: '/setup',
  signIn: '/sign-in',
  signOut: '/sign-out',
  health: '/health',
  ready: '/ready',
  admin: {
    users: '/admin/users',
    newUser: '/admin/users/new',
    user: (id = ':id') => `/admin/users/${id}`,
    editUser: (id = ':id') => `/admin/users/${id}/edit`,
    deactivateUser: (id = ':id') => `/admin/users/${id}/deactivate`,
    reactivateUser: (id = ':id') => `/admin/users/${id}/reactivate`,
    organisation: '/admin/teams',
    newService: '/admin/services/new',
    newTeam: '/admin/teams/new',
    supervision: '/admin/supervision',
    newSupervision: '/admin/supervision/new',
    endSupervision: (id = ':id') => `/admin/supervision/${id}/end`,
    audit: '/admin/audit',
  },
} as const;
