import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import type { RmTask } from '../domain/rm-task';
import { RmTaskStore } from '../application/ports/rm-task-store.port';

type TaskDoc = Omit<RmTask, 'taskId'> & { _id: string };

/** `rm_tasks` in MongoDB, `_id` = taskId. */
@Injectable()
export class RmTaskRepository implements RmTaskStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get tasks() {
    return nativeCollection<TaskDoc>(this.connection, 'rm_tasks');
  }

  async load(taskIds: readonly string[]): Promise<Map<string, RmTask>> {
    const docs = await Promise.all([...new Set(taskIds)].map((id) => this.tasks.findOne({ _id: id })));
    return new Map(docs.flatMap((d) => (d ? [[d._id, (({ _id, ...t }) => ({ taskId: _id, ...t }))(d)] as const] : [])));
  }

  async delete(taskIds: readonly string[]): Promise<void> {
    await Promise.all(taskIds.map((id) => this.tasks.deleteOne({ _id: id })));
  }

  async put(tasks: readonly RmTask[]): Promise<void> {
    if (!tasks.length) return;
    await this.tasks.bulkWrite(
      tasks.map(({ taskId, ...task }) => ({ replaceOne: { filter: { _id: taskId }, replacement: JSON.parse(JSON.stringify(task)) as Omit<TaskDoc, '_id'>, upsert: true } })),
      { ordered: false },
    );
  }
}
