import { AppError } from '../errors/index.js';

/** No agent has that agent number (or MSISDN). */
export class AgentNotFoundError extends AppError {
  constructor() {
    super('agent_not_found', 'no agent with that number', 404, true);
  }
}

/** The agent has no open store with that store number. */
export class StoreNotFoundError extends AppError {
  constructor() {
    super('store_not_found', 'that agent has no store with that number', 404, true);
  }
}

/** The agent is suspended: it can be neither paid nor used for deposits. */
export class AgentInactiveError extends AppError {
  constructor() {
    super('agent_inactive', 'this agent is suspended', 403, true);
  }
}

/** The float cannot cover the movement; `float` is the balance in cents. */
export class InsufficientFloatError extends AppError {
  constructor(readonly float: bigint) {
    super('insufficient_float', 'not enough float', 409, true);
  }
}

/** Float may move only between an agent and its super agent, or agents under one super agent. */
export class FloatTransferNotAllowedError extends AppError {
  constructor(message: string) {
    super('float_transfer_not_allowed', message, 403, true);
  }
}

/** An agent number or MSISDN is taken already. */
export class AgentExistsError extends AppError {
  constructor(message: string) {
    super('agent_exists', message, 409, true);
  }
}
