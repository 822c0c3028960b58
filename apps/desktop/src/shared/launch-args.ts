/** The command-line switch through which main hands the OS locale to the sandboxed preload. */
export const LOCALE_ARG = '--hi-msg-locale=';
