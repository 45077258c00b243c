import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SecretNamespacePattern, SecretNamespacePurgeRequest } from '@app/contracts';
import { SecretNamespacesService } from './secret-namespaces.service';

@Controller()
export class SecretNamespacesHandler {
  constructor(private readonly namespaces: SecretNamespacesService) {}

  @MessagePattern(SecretNamespacePattern.PURGE)
  purge(@Payload() request: SecretNamespacePurgeRequest): Promise<{ purged: number }> {
    return this.namespaces.purge(request);
  }
}
