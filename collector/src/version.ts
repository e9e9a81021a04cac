/** The collector's own version: sent with every batch and compared with the server's `minimumVersion`. */
export const collectorVersion = "0.3.0";
