import { BaseRpcContext } from '@nestjs/microservices';
import { RecordContext } from '../consumer-runner';

/** What `@Ctx()` receives in an `@EventPattern` handler: where the record came from. */
export class KafkaEventContext extends BaseRpcContext<[RecordContext]> {
  constructor(record: RecordContext) {
    super([record]);
  }

  get record(): RecordContext {
    return this.args[0];
  }
}
