/** Every key of a queue shares this prefix; tests set their own so parallel files never share keys. */
export function queuePrefix(): string {
  return process.env.MP_QUEUE_PREFIX ?? "{meterplane}";
}
