export const dep = 'dep loaded';
